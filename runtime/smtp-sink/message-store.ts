import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { simpleParser, type AddressObject } from 'mailparser';

export interface StoredMessage {
  id: string;
  receivedAt: string;
  envelope: { from: string | null; to: string[] };
  from: string | null;
  to: string[];
  subject: string;
  messageId: string | null;
  text: string;
  html: string | null;
  headers: Record<string, string>;
}

/**
 * Received mail as `.eml` files, so it survives a restart and a person can open it in a
 * mail client. Parsing happens on read and is cached: the sink only ever holds test and
 * demo volumes.
 */
export class MessageStore {
  private readonly parsed = new Map<string, StoredMessage>();

  constructor(readonly dir: string) {}

  async save(raw: Buffer, envelope: StoredMessage['envelope']): Promise<string> {
    await fs.mkdir(this.dir, { recursive: true });
    const receivedAt = new Date();
    const id = `${receivedAt.getTime()}-${randomUUID()}`;
    await fs.writeFile(path.join(this.dir, `${id}.envelope.json`), JSON.stringify(envelope));
    await fs.writeFile(path.join(this.dir, `${id}.eml`), raw);
    return id;
  }

  /** Newest first. */
  async list(): Promise<StoredMessage[]> {
    let files: string[];
    try {
      files = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const ids = files
      .filter((f) => f.endsWith('.eml'))
      .map((f) => f.slice(0, -4))
      .sort()
      .reverse();
    const messages: StoredMessage[] = [];
    for (const id of ids) {
      const message = await this.get(id);
      if (message) messages.push(message);
    }
    return messages;
  }

  async get(id: string): Promise<StoredMessage | undefined> {
    if (!/^[\w-]+$/.test(id)) return undefined;
    const cached = this.parsed.get(id);
    if (cached) return cached;
    const raw = await this.raw(id);
    if (!raw) return undefined;
    const envelope = await fs
      .readFile(path.join(this.dir, `${id}.envelope.json`), 'utf8')
      .then((text) => JSON.parse(text) as StoredMessage['envelope'])
      .catch(() => ({ from: null, to: [] }));
    const mail = await simpleParser(raw);
    const headers: Record<string, string> = {};
    for (const line of mail.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
    const message: StoredMessage = {
      id,
      receivedAt: new Date(Number(id.split('-')[0])).toISOString(),
      envelope,
      from: mail.from?.text ?? null,
      to: addresses(mail.to),
      subject: mail.subject ?? '',
      messageId: mail.messageId ?? null,
      text: mail.text ?? '',
      html: typeof mail.html === 'string' ? mail.html : null,
      headers,
    };
    this.parsed.set(id, message);
    return message;
  }

  async raw(id: string): Promise<Buffer | undefined> {
    if (!/^[\w-]+$/.test(id)) return undefined;
    return fs.readFile(path.join(this.dir, `${id}.eml`)).catch(() => undefined);
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  const list = Array.isArray(field) ? field : [field];
  return list.flatMap((group) => group.value.map((a) => a.address ?? '')).filter(Boolean);
}
