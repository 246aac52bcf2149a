/**
 * The contract of a local file handler: the local-dir walker reads a file, gunzips it if it is
 * gzip, and offers it to the handlers of its registry (sources/local-dir.ts) in order; the first
 * whose `accepts` says yes turns it into evidence. Handlers are pure over the bytes they get.
 */
import type { EvidenceBatch } from '../../store/evidence.ts';

export interface LocalFile {
  /** Path relative to the imported folder, with `/` separators: the ledger key. */
  relPath: string;
  absPath: string;
  /** The file as on disk. */
  bytes: Buffer;
  /** `bytes` gunzipped when the file is gzip, else `bytes` itself. */
  content: Buffer;
  /** sha256 hex of `bytes`: the ledger version, so a changed file is read again. */
  version: string;
}

export interface FileHandler {
  name: string;
  /** Cheap: decides from the relative path and the first bytes of the (gunzipped) content. */
  accepts(relPath: string, head: string): boolean;
  /** Throws BadInputError (reason code) for a file that cannot be used: it is quarantined. */
  read(file: LocalFile): HandlerOutput | Promise<HandlerOutput>;
}

export interface HandlerOutput {
  evidence: Omit<EvidenceBatch, 'sourceId' | 'ledger' | 'checkpoint'>;
  /** Source records seen in the file (all of them, noise included), for the summary. */
  records: number;
}
