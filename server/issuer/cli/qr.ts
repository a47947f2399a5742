/** `issuer qr`: any text as a QR code PNG. */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeQrPng } from '../mint';
import { args, num, required, UsageError } from './args';
import { help } from './usage';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function qr(argv: string[]): Promise<number> {
  const { values: v, positionals } = args(argv, { png: { type: 'string' }, scale: { type: 'string' } }, 1);
  if (v.help) return help();
  const source = positionals[0];
  if (source === undefined) throw new UsageError('qr wants the text (or - for stdin)');
  const file = resolve(required(v.png, 'png'));
  const scale = num(v.scale, 'scale');
  if (scale !== undefined && (!Number.isInteger(scale) || scale < 1 || scale > 50)) throw new UsageError('--scale must be an integer from 1 to 50');
  const text = source === '-' ? (await readStdin()).replace(/\r?\n$/, '') : source;
  if (text === '') throw new UsageError('the text is empty');
  await mkdir(dirname(file), { recursive: true });
  await writeQrPng(text, file, scale !== undefined ? { scale } : {});
  process.stderr.write(`wrote a QR code of ${text.length} characters to ${file}\n`);
  process.stdout.write(file + '\n');
  return 0;
}
