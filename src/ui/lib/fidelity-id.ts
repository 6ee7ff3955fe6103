/** The element id of a fidelity note in the top bar's list, so other parts of the page can open it. */
export function fidelityNoteId(topic: string): string {
  return `fidelity-${topic
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}
