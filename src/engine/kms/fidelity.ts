/**
 * Where kms-lab's KMS knowingly differs from AWS, or follows AWS on evidence weaker than a
 * recorded response. The page shows these notes; keep them in step with the code comments
 * that say "not recorded in our references".
 */
export interface FidelityNote {
  topic: string;
  note: string;
  /** 'differs': kms-lab does something else on purpose. 'uncertain': AWS's exact answer is unrecorded. */
  kind: 'differs' | 'uncertain';
}

/** The note the classroom view links to (its label about reproducible keys). */
export const REPRODUCIBLE_KEYS_TOPIC = 'Reproducible keys in Classroom mode';

export const FIDELITY_NOTES: FidelityNote[] = [
  {
    topic: 'Policy evaluation',
    kind: 'uncertain',
    note: 'Key policies, IAM policies and grants are evaluated on every call with AWS\'s rules (explicit deny wins; the key policy must allow the caller or delegate to the account\'s IAM; both halves across accounts; grants allow on their own). Which clause AccessDeniedException ends with ("because no identity-based policy allows…", "…no resource-based policy…", "with an explicit deny in…") follows IAM\'s documented forms; which one KMS picks in each case is inferred, not recorded. kms-lab evaluates identity policies of roles, not of their sessions (no session policies, permission boundaries or SCPs).',
  },
  {
    topic: 'Grants',
    kind: 'differs',
    note: 'A new grant becomes usable without its grant token exactly five virtual minutes after CreateGrant (AWS: usually within five minutes); retiring and revoking take effect at once. A grant used to create another grant is not checked for being at least as strict. The texts of InvalidGrantTokenException, of an unknown grant id, and of CreateGrant validation failures are ours.',
  },
  {
    topic: 'AWS managed keys',
    kind: 'uncertain',
    note: "Created on the service's first use or by DescribeKey on the predefined alias, with a key policy modelled on the published ones (ViaService + CallerAccount); the exact action lists differ slightly from service to service in AWS. Their management is refused by that policy (AccessDeniedException). AWS owned keys are not visible, as in AWS.",
  },
  {
    topic: 'Ciphertext blobs',
    kind: 'differs',
    note: "AWS's blob layout is undocumented. kms-lab's blob is labelled byte by byte (version, key id, key material id, IV, ciphertext, tag) and binds the same things: real AWS ciphertext cannot be decrypted here.",
  },
  {
    topic: 'Key specs',
    kind: 'differs',
    note: 'SM2 keys and SM2 data key pairs (China Regions only in AWS) are refused with UnsupportedOperationException: their crypto is not simulated. ECC_NIST_EDWARDS25519 and ML_DSA_* keys sign and verify for real (Ed25519, Ed25519ph, ML-DSA including EXTERNAL_MU); the ValidationException texts for a MessageType the algorithm does not take, and for a mu that is not 64 bytes, are ours. Ed25519 and ML-DSA private keys are stored as RFC 8410 / RFC 9881 seed-form PKCS#8.',
  },
  {
    topic: 'Custom key stores, imports, multi-Region replicas',
    kind: 'differs',
    note: 'Not simulated yet: CreateKey with a custom key store answers CustomKeyStoreNotFoundException; EXTERNAL keys stay PendingImport; MultiRegion keys get mrk- ids but cannot be replicated.',
  },
  {
    topic: 'Timing',
    kind: 'differs',
    note: 'Rotation and deletion happen exactly when the virtual clock reaches them; in AWS on-demand rotation and deletion take effect within minutes, and OnDemandRotationStartDate is never shown here.',
  },
  {
    topic: 'Error messages',
    kind: 'uncertain',
    note: "Messages recorded from real AWS are used verbatim. Where no recording exists, the code is AWS's and the words are ours: GenerateDataKey with both KeySpec and NumberOfBytes, CreateAlias on alias/aws/, UpdateAlias across key types, GetPublicKey on a symmetric key, an encryption context with an asymmetric key, malformed key ARNs, ConflictException text, and MalformedPolicyDocumentException reasons.",
  },
  {
    topic: "Decrypt of a deleted key's ciphertext",
    kind: 'uncertain',
    note: 'Answered with AccessDeniedException "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.", the text emulators copied from AWS.',
  },
  {
    topic: 'GetPublicKey on a disabled key',
    kind: 'uncertain',
    note: "Fails with DisabledException, as AWS's key-state table says; one emulator's comment claims AWS allows it.",
  },
  {
    topic: 'On-demand rotation limit',
    kind: 'uncertain',
    note: '25 rotations per key, the current documented quota (it was 10 when the feature launched in 2024).',
  },
  {
    topic: 'Request quotas',
    kind: 'uncertain',
    note: 'Quotas count per second of virtual time and refill at each whole second (AWS documents a per-second count and no burst allowance). They are off unless switched on (top bar, a scenario, or the throttling lab), because the virtual clock stands still between clicks. Hot-key throttling and custom key store quotas are not simulated; ReEncrypt counts against the destination key only; a throttled call still gets a CloudTrail record.',
  },
  {
    topic: 'S3 encryption',
    kind: 'uncertain',
    note: "SSE-C over plain HTTP answers 400 InvalidRequest as S3-compatible services do (AWS does not document the code). A Bucket Key's bucket-level key is kept one virtual hour (AWS says only 'time-limited'). KMS errors reach the S3 caller as KMS.* codes, and a KMS denial as 403 AccessDenied 'Access Denied'. Multipart uploads, presigned URLs and replication are not simulated.",
  },
  {
    topic: 'Encryption SDK',
    kind: 'uncertain',
    note: "Messages are the AWS Encryption SDK's own format and interoperate with the official SDK for JavaScript (tested both ways). The lab reads every message (REQUIRE_ENCRYPT_ALLOW_DECRYPT) so old v1 messages open; the SDK's default policy also refuses to decrypt non-committing messages. Signing suites hash in JavaScript and are slow on very large files.",
  },
  {
    topic: REPRODUCIBLE_KEYS_TOPIC,
    kind: 'differs',
    note: "Classroom mode and classroom links use reproducible (seeded) key material, IVs, data keys and signature randomness, so that every student who opens the same link sees the same bytes: a ChaCha20 stream keyed from the link's seed (RSA keys from primes found in that stream, since WebCrypto cannot be seeded). Real AWS and the rest of kms-lab (Learn, Sandbox, labs) use a cryptographically secure random number generator. Never derive keys from a public seed in a real system: anyone who has the link can recompute every key.",
  },
];
