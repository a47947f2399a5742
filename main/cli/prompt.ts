import { createInterface } from 'node:readline';

/** Asks for a secret on the terminal without echoing it; null when there is no terminal. */
export async function askSecret(question: string): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void };
  let asking = true;
  const write = out._writeToOutput.bind(rl);
  out._writeToOutput = (s: string) => {
    if (!asking || s.includes(question)) write(s);
  };
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    asking = false;
    process.stderr.write('\n');
    rl.close();
  }
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
