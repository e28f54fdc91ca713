// Reads a new password for the `user` command: from a terminal, asked twice without echo; from a
// pipe or a file, the first line (so that scripts can provide it without a command-line
// argument, which other users could read in the process list).
import type { Readable, Writable } from 'node:stream';

export interface PasswordIo {
  input: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  output: Writable;
}

export async function readNewPassword(io: PasswordIo, prompt: string): Promise<string> {
  if (!io.input.isTTY || !io.input.setRawMode) return readFirstLine(io.input);
  const first = await askHidden(io, `${prompt}: `);
  const second = await askHidden(io, 'Once more, to be sure: ');
  if (first !== second) throw new Error('The two passwords differ; nothing was changed.');
  return first;
}

async function readFirstLine(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line.length === 0) throw new Error('No password was given on standard input.');
  return line;
}

function askHidden(io: PasswordIo, question: string): Promise<string> {
  const { input, output } = io;
  output.write(question);
  input.setRawMode?.(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = (error?: Error): void => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const char of String(chunk)) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new Error('Cancelled; nothing was changed.'));
        if (char === '\u007f' || char === '\b') answer = [...answer].slice(0, -1).join('');
        else answer += char;
      }
    };
    input.on('data', onData);
  });
}
