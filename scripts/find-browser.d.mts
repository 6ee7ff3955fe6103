export const SYSTEM_CHROMIUMS: string[];
export function findBrowser(): Promise<{ executablePath?: string; channel?: string } | null>;
