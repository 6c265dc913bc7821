// Reads one line: all of piped stdin, or a hidden line typed at a terminal.

import { stdin, stderr } from 'node:process';

export async function readPassword(prompt: string): Promise<string> {
  if (!stdin.isTTY) {
    let input = '';
    for await (const chunk of stdin) input += String(chunk);
    return input.replace(/\r?\n$/, '');
  }
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (key: string) => {
      for (const char of key) {
        if (char === '\u0003') {
          cleanup();
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\r' || char === '\n') {
          cleanup();
          stderr.write('\n');
          resolve(typed);
          return;
        }
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    const cleanup = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on('data', onData);
  });
}
