/**
 * A command run in a container under a pseudo-terminal (`docker exec -it`), its answers typed in.
 *
 * Why a terminal and not a pipe: pocket-core's prompts (`util generate-chains`) make a new
 * buffered stdin reader per question, so over a pipe the first reader swallows every later
 * answer and the command dies with EOF. A terminal in canonical mode hands each read one line,
 * as when an operator types. Docker allocates the terminal, so this works wherever Docker does.
 */
import { getContainerRuntimeClient } from 'testcontainers';
import type { ExecResult } from './pocket-node';

/**
 * Runs `command` in container `containerId` with a terminal and types `answers` (one line each),
 * all at once: the terminal queues them and the command reads one per prompt. Ends when the
 * command exits, or fails after `timeoutMs` (a prompt waiting for an answer never given).
 */
export async function runInTerminal(containerId: string, command: string[], answers: string[], timeoutMs = 60_000): Promise<ExecResult> {
  const client = await getContainerRuntimeClient();
  const exec = await client.container.dockerode.getContainer(containerId).exec({
    Cmd: command,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
  });
  const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
  let screen = '';
  stream.on('data', (chunk: Buffer) => { screen += chunk.toString(); });
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  stream.write(answers.map((a) => `${a}\n`).join(''));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${command.join(' ')} still waited for input after ${timeoutMs / 1000} s; the terminal showed:\n${screen}`)), timeoutMs);
  });
  try {
    await Promise.race([ended, timedOut]);
  } finally {
    clearTimeout(timer);
    stream.destroy();
  }
  const { ExitCode } = await exec.inspect();
  // stdout is everything the terminal showed (it merges both streams; the typed answers are echoed,
  // first as they were typed at once), CRLF made LF; stderr stays empty.
  return { exitCode: ExitCode ?? -1, stdout: screen.replace(/\r\n/g, '\n'), stderr: '' };
}
