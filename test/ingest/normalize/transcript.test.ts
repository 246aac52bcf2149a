import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cloudWatchLines,
  parseCloudWatchExport,
  parseCloudWatchMessage,
} from '../../../src/ingest/normalize/cloudwatch-events.ts';
import {
  detectFormat,
  parseScriptDate,
  parseScriptHeader,
  ScriptBodyStream,
  scriptBody,
} from '../../../src/ingest/normalize/transcript.ts';
import { agentProcessLine, ansiStrip, simulateCloudWatchStreaming } from '../../support/agent-processing.ts';

const SESSION = 'tanaka.hiroshi-0a1b2c3d4e5f6g7h8i9j0k1l2m';
const TARGET = 'i-0a1b2c3d4e5f60718';
const HEADER = `Script started on 2025-09-29 16:58:03+00:00 [COMMAND="cat /var/lib/amazon/ssm/${TARGET}/session/orchestration/${SESSION}/Standard_Stream/ipcTempFile.log" <not executed on terminal>]\n`;
const FOOTER = '\nScript done on 2025-09-29 16:58:04+00:00 [COMMAND_EXIT_CODE="0"]\n';
const IDENTITY = {
  region: 'ap-northeast-1',
  target: TARGET,
  userArn: 'arn:aws:sts::111122223333:assumed-role/OpsRole/tanaka.hiroshi',
  runAsUser: 'ssm-user',
  sessionId: SESSION,
};

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

describe('parseScriptHeader', () => {
  it('reads time, session id and target from the agent header', () => {
    const parsed = parseScriptHeader(Buffer.from(`${HEADER}$ ls\r\r\n`));
    expect(parsed?.header).toEqual({
      time: Date.UTC(2025, 8, 29, 16, 58, 3),
      sessionId: SESSION,
      target: TARGET,
    });
    expect(parsed?.headerLength).toBe(Buffer.byteLength(HEADER));
  });

  it('reads the old +0000 and ctime date forms', () => {
    expect(parseScriptHeader(Buffer.from('Script started on 2020-05-27 23:00:48+0000\n'))?.header.time).toBe(
      Date.UTC(2020, 4, 27, 23, 0, 48),
    );
    expect(parseScriptDate('2020-05-27 23:00:48+0900')).toBe(Date.UTC(2020, 4, 27, 14, 0, 48));
    expect(parseScriptDate('Wed 27 May 2020 11:00:48 PM UTC')).toBe(Date.UTC(2020, 4, 27, 23, 0, 48));
    expect(parseScriptDate('Wed May 27 23:00:48 2020')).toBe(Date.UTC(2020, 4, 27, 23, 0, 48));
    expect(parseScriptDate('yesterday')).toBeNull();
  });

  it('returns null for raw bytes, a truncated header and zero bytes', () => {
    expect(parseScriptHeader(Buffer.from('$ ls\r\n'))).toBeNull();
    expect(
      parseScriptHeader(Buffer.from('Script started on 2025-09-29 16:58:03+00:00 [COMMAND="cat /var/lib')),
    ).toBeNull();
    expect(parseScriptHeader(Buffer.alloc(0))).toBeNull();
    expect(parseScriptHeader(Buffer.from(`Script started on ${'x'.repeat(10_000)}\n`))).toBeNull();
  });

  it('keeps an unknown COMMAND as a header without ids', () => {
    const parsed = parseScriptHeader(
      Buffer.from('Script started on 2025-09-29 16:58:03+00:00 [COMMAND="cat x"]\nhi'),
    );
    expect(parsed?.header).toEqual({ time: Date.UTC(2025, 8, 29, 16, 58, 3), sessionId: null, target: null });
  });
});

describe('ScriptBodyStream', () => {
  const body = Buffer.from('$ echo hi\r\r\nhi\r\r\n$ exit\r\r\n');

  it('removes header and footer whatever the chunk size', async () => {
    const whole = Buffer.concat([Buffer.from(HEADER), body, Buffer.from(FOOTER)]);
    for (const size of [1, 7, 64, 100_000]) {
      const stream = new ScriptBodyStream(chunked(whole, size));
      expect((await collect(stream)).equals(body)).toBe(true);
      expect(stream.header?.sessionId).toBe(SESSION);
      expect(stream.footer).toEqual({ time: Date.UTC(2025, 8, 29, 16, 58, 4), exitCode: 0 });
    }
  });

  it('passes raw bytes through and tolerates a missing footer or final newline', async () => {
    const raw = new ScriptBodyStream(chunked(body, 5));
    expect((await collect(raw)).equals(body)).toBe(true);
    expect(raw.header).toBeNull();
    const truncated = Buffer.concat([Buffer.from(HEADER), Buffer.from('$ echo hi\r\r\nhi')]);
    const stream = new ScriptBodyStream(chunked(truncated, 3));
    expect((await collect(stream)).toString()).toBe('$ echo hi\r\r\nhi');
    expect(stream.footer).toBeNull();
  });

  it('does not mistake a printed "Script done" in the middle for the footer', async () => {
    const tricky = Buffer.from(`$ cat notes\r\r\n${FOOTER.trim()}\r\r\n$ ls\r\r\n`);
    const out = await collect(scriptBody(chunked(Buffer.concat([Buffer.from(HEADER), tricky]), 11)));
    expect(out.equals(tricky)).toBe(true);
  });

  it('handles zero bytes, a header-only stream and an endless header', async () => {
    expect((await collect(scriptBody(chunked(Buffer.alloc(0), 1)))).length).toBe(0);
    const onlyHeader = new ScriptBodyStream(chunked(Buffer.from(HEADER), 9));
    expect((await collect(onlyHeader)).length).toBe(0);
    expect(onlyHeader.header?.target).toBe(TARGET);
    const endless = Buffer.from(`Script started on ${'y'.repeat(20_000)}`);
    expect((await collect(scriptBody(chunked(endless, 1000)))).equals(endless)).toBe(true);
  });

  it('keeps NUL bytes and invalid UTF-8 unchanged', async () => {
    const hostile = Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x00, 0xc3, 0x28, 0x0a]);
    const whole = Buffer.concat([Buffer.from(HEADER), hostile, Buffer.from(FOOTER)]);
    expect((await collect(scriptBody(chunked(whole, 2)))).equals(hostile)).toBe(true);
  });

  it('streams a 50 MB single line with bounded chunks', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x41);
    async function* huge(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(HEADER);
      for (let i = 0; i < 50; i++) yield chunk;
      yield Buffer.from(FOOTER);
    }
    let total = 0;
    let largest = 0;
    const stream = new ScriptBodyStream(huge());
    for await (const part of stream) {
      total += part.length;
      largest = Math.max(largest, part.length);
    }
    expect(total).toBe(50 << 20);
    expect(largest).toBeLessThanOrEqual((1 << 20) + 1024);
    expect(stream.footer?.exitCode).toBe(0);
  });
});

describe('detectFormat', () => {
  it('tells the shapes apart', () => {
    expect(detectFormat(Buffer.from(HEADER))).toBe('script');
    expect(detectFormat(Buffer.from(`\uFEFF${HEADER}`))).toBe('script');
    expect(detectFormat(Buffer.from('$ ls\r\n'))).toBe('raw');
    expect(detectFormat(Buffer.alloc(0))).toBe('raw');
    expect(
      detectFormat(
        Buffer.from(
          '**********************\r\nWindows PowerShell transcript start\r\nStart time: 20250929\r\n',
        ),
      ),
    ).toBe('powershell');
    expect(detectFormat(Buffer.from('**********************\nPowerShell transcript start\n'))).toBe(
      'powershell',
    );
    expect(detectFormat(Buffer.from('{"eventVersion":"1.0","eventTime":"2026-11-24T08:15:03Z"}\n'))).toBe(
      'cloudwatch_stream',
    );
    const streamExport = JSON.stringify({ events: [{ timestamp: 1, message: '{"eventVersion":"1.0"}' }] });
    expect(detectFormat(Buffer.from(streamExport))).toBe('cloudwatch_stream');
    const textExport = JSON.stringify([{ timestamp: 1, message: 'Script started on 2025' }]);
    expect(detectFormat(Buffer.from(textExport))).toBe('cloudwatch_text');
  });
});

describe('parseCloudWatchMessage', () => {
  it('reads an agent streaming event', () => {
    const message = JSON.stringify({
      eventVersion: '1.0',
      eventTime: '2026-11-24T08:15:03Z',
      awsRegion: 'ap-northeast-1',
      target: { id: TARGET },
      userIdentity: { arn: IDENTITY.userArn },
      runAsUser: 'ssm-user',
      sessionId: SESSION,
      sessionData: ['[ssm-user@ip-10-0-1-11 ~]$ sudo systemctl restart nginx'],
    });
    expect(parseCloudWatchMessage(message)).toEqual({
      kind: 'stream',
      sessionId: SESSION,
      target: TARGET,
      userArn: IDENTITY.userArn,
      runAsUser: 'ssm-user',
      region: 'ap-northeast-1',
      eventTime: Date.UTC(2026, 10, 24, 8, 15, 3),
      lines: ['[ssm-user@ip-10-0-1-11 ~]$ sudo systemctl restart nginx'],
    });
  });

  it('classifies text, malformed and wrongly typed events', () => {
    expect(parseCloudWatchMessage('Script started on 2025-09-29\n$ ls')).toEqual({
      kind: 'text',
      text: 'Script started on 2025-09-29\n$ ls',
    });
    expect(parseCloudWatchMessage('{"eventVersion":"1.0","sessionData":["a"')).toEqual({
      kind: 'invalid',
      reason: 'malformed_json',
    });
    expect(parseCloudWatchMessage('{"eventVersion":"1.0","sessionData":"a"}')).toEqual({
      kind: 'invalid',
      reason: 'session_data_not_array',
    });
    expect(parseCloudWatchMessage('{"eventVersion":"1.0","sessionData":[1]}')).toEqual({
      kind: 'invalid',
      reason: 'session_data_not_strings',
    });
    expect(
      parseCloudWatchMessage(`{"eventVersion":"1.0","sessionData":["${'a'.repeat(2_000_000)}"]}`).kind,
    ).toBe('invalid');
  });
});

describe('cloudWatchLines', () => {
  const event = (timestamp: number, lines: string[]) => ({
    timestamp,
    message: JSON.stringify({ eventVersion: '1.0', sessionId: SESSION, sessionData: lines }),
  });

  it('returns lines in order with their event time and skips invalid events', () => {
    const lines = cloudWatchLines([
      event(1000, ['$ ls', 'a b']),
      { timestamp: 1500, message: '{"eventVersion":"1.0",' },
      event(2000, ['$ exit']),
    ]);
    expect(lines).toEqual([
      { text: '$ ls', timestamp: 1000 },
      { text: 'a b', timestamp: 1000 },
      { text: '$ exit', timestamp: 2000 },
    ]);
  });

  it('joins a line the agent cut at its 200,000-byte buffer, stamped where it ended', () => {
    const long = `$ echo ${'x'.repeat(450_000)}`;
    const raw = Buffer.from(`${long}\r\n$ exit\r\n`);
    const events = simulateCloudWatchStreaming([{ atMs: 10_000, bytes: raw }], IDENTITY, {
      startMs: 9_500,
      endMs: 12_000,
    });
    expect(events.length).toBe(3);
    const lines = cloudWatchLines(events);
    expect(lines.map((l) => l.text)).toEqual([long, '$ exit']);
    expect(lines[0]!.timestamp).toBe(events[2]!.timestamp);
  });

  it('keeps a whole line whose last slice is long but whose next event came a tick later', () => {
    const long = 'y'.repeat(300_000);
    const raw = Buffer.from(`${long}\r\n`);
    const events = simulateCloudWatchStreaming(
      [
        { atMs: 10_000, bytes: raw },
        { atMs: 11_500, bytes: Buffer.from('$ echo x\r\nx\r\n') },
      ],
      IDENTITY,
      { startMs: 9_500, endMs: 13_000 },
    );
    const lines = cloudWatchLines(events).map((l) => l.text);
    expect(lines).toEqual([long, '$ echo x', 'x']);
  });

  it('splits plain-text (non-streaming) uploads on newlines', () => {
    expect(cloudWatchLines([{ timestamp: 5, message: 'a\r\nb' }])).toEqual([
      { text: 'a', timestamp: 5 },
      { text: 'b', timestamp: 5 },
    ]);
  });
});

describe('parseCloudWatchExport', () => {
  const agentEvent = '{"eventVersion":"1.0","eventTime":"2026-11-24T08:15:03Z","sessionData":["$ ls"]}';

  it('reads get-log-events, filter-log-events, arrays and NDJSON', () => {
    const get = JSON.stringify({
      events: [{ timestamp: 1, message: agentEvent, ingestionTime: 2 }],
      nextForwardToken: 'f/1',
    });
    expect(parseCloudWatchExport(get)).toEqual([{ timestamp: 1, message: agentEvent, ingestionTime: 2 }]);
    const filter = JSON.stringify({
      events: [{ logStreamName: SESSION, timestamp: 3, message: 'x', ingestionTime: 4, eventId: '99' }],
      searchedLogStreams: [],
    });
    expect(parseCloudWatchExport(filter)[0]).toEqual({
      logStreamName: SESSION,
      timestamp: 3,
      message: 'x',
      ingestionTime: 4,
      eventId: '99',
    });
    expect(parseCloudWatchExport(JSON.stringify([{ timestamp: 5, message: 'y' }]))).toEqual([
      { timestamp: 5, message: 'y' },
    ]);
    const ndjson = `${agentEvent}\n\n${agentEvent}\n`;
    expect(parseCloudWatchExport(ndjson)).toEqual([
      { timestamp: Date.UTC(2026, 10, 24, 8, 15, 3), message: agentEvent },
      { timestamp: Date.UTC(2026, 10, 24, 8, 15, 3), message: agentEvent },
    ]);
  });

  it('throws BadInputError naming what was wrong', () => {
    const reasonOf = (text: string) => {
      try {
        parseCloudWatchExport(text);
        return 'no error';
      } catch (error) {
        return (error as { reason?: string }).reason;
      }
    };
    expect(reasonOf('')).toBe('empty_export');
    expect(reasonOf('hello')).toBe('not_cloudwatch_export');
    expect(reasonOf('{"foo":1}')).toBe('not_cloudwatch_export');
    expect(reasonOf(`${agentEvent}\n{"broken`)).toBe('malformed_json');
    expect(reasonOf('{"events":[{"timestamp":"x","message":"m"}]}')).toBe('bad_event');
    expect(reasonOf('{"eventVersion":"1.0","sessionData":[]}')).toBe('bad_event');
  });
});

describe('agent processing (the inverse used by fixtures)', () => {
  it('strips valid sequences and keeps the raw line when one is unknown', () => {
    expect(ansiStrip(Buffer.from('\x1b[?2004h\x1b]0;t\x07\x1b[01;32mok\x1b[0m\r\n')).text.toString()).toBe(
      'ok\r\n',
    );
    const raw = Buffer.from('\x1b(B\x1b[mhello\r\n');
    expect(agentProcessLine(raw).equals(raw)).toBe(true);
  });

  it('strips the private CSI of the agent test case (cloudwatchlogsservice_test.go)', () => {
    // TestCloudWatchLogsService_getNextMessage_cleanupControlCharacters: "\x1b[?1034hsh-4.2$" -> "sh-4.2$",
    // a final line without newline still goes out once the file is complete.
    const events = simulateCloudWatchStreaming(
      [{ atMs: 0, bytes: Buffer.from('\x1b[?1034hsh-4.2$') }],
      IDENTITY,
      {
        startMs: 0,
        endMs: 0,
      },
    );
    expect(cloudWatchLines(events).map((l) => l.text)).toEqual(['sh-4.2$']);
  });

  it('holds a partial line back until its newline arrives', () => {
    const events = simulateCloudWatchStreaming(
      [
        { atMs: 100, bytes: Buffer.from('$ ec') },
        { atMs: 1500, bytes: Buffer.from('ho hi\r\nhi\r\n') },
      ],
      IDENTITY,
      { startMs: 0, endMs: 1600 },
    );
    expect(events.length).toBe(1);
    expect(cloudWatchLines(events)).toEqual([
      { text: '$ echo hi', timestamp: events[0]!.timestamp },
      { text: 'hi', timestamp: events[0]!.timestamp },
    ]);
  });

  it('mangles UTF-8 continuation bytes 0x80-0x9f like the real stripper', () => {
    const event = simulateCloudWatchStreaming([{ atMs: 0, bytes: Buffer.from('日本語 ok\r\n') }], IDENTITY, {
      startMs: 0,
      endMs: 0,
    });
    const parsed = parseCloudWatchMessage(event[0]!.message);
    expect(parsed.kind === 'stream' && parsed.lines[0]).toBe('\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd ok');
  });
});

const FIXTURES = join(import.meta.dirname, '../../fixtures/sessions');

describe('recorded fixtures', () => {
  const names = readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);

  it('has the recorded sessions', () => {
    expect(names.length).toBeGreaterThanOrEqual(12);
  });

  for (const name of names) {
    it(`${name}: S3 body equals raw.bin and CloudWatch lines match the agent's view`, async () => {
      const dir = join(FIXTURES, name);
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
        sessionId: string;
        target: string;
        runAsUser: string;
      };
      const raw = readFileSync(join(dir, 'raw.bin'));
      const log = readFileSync(join(dir, `${meta.sessionId}.log`));
      expect(detectFormat(log)).toBe('script');
      const stream = new ScriptBodyStream(chunked(log, 4096));
      const body = await collect(stream);
      expect(stream.header?.sessionId).toBe(meta.sessionId);
      expect(stream.header?.target).toBe(meta.target);
      expect(stream.footer?.exitCode).toBe(0);
      // script(1) turns every \n of the raw bytes into \r\n again.
      expect(body.equals(Buffer.from(raw.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'))).toBe(true);

      const commands = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as unknown[];
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands)
        expect(command).toEqual({
          text: expect.any(String),
          executed: expect.any(Boolean),
          user: expect.any(String),
        });

      const cloudwatch = readFileSync(join(dir, 'cloudwatch.json'), 'utf8');
      expect(detectFormat(Buffer.from(cloudwatch))).toBe('cloudwatch_stream');
      const events = parseCloudWatchExport(cloudwatch);
      const first = parseCloudWatchMessage(events[0]!.message);
      expect(first.kind === 'stream' && first.sessionId).toBe(meta.sessionId);
      expect(first.kind === 'stream' && first.runAsUser).toBe(meta.runAsUser);
      const lines = cloudWatchLines(events).map((l) => l.text);
      const expected = raw
        .toString('latin1')
        .split('\n')
        .map((line, i, all) => (i < all.length - 1 ? `${line}\n` : line))
        .filter((line) => line !== '')
        .map((line) =>
          agentProcessLine(Buffer.from(line, 'latin1'))
            .toString('utf8')
            .replace(/\r|\n$/g, ''),
        );
      expect(lines.length).toBe(expected.length);
      for (let i = 0; i < lines.length; i++) {
        const wanted = expected[i]!.replace(/\t/g, ' ');
        expect(lines[i]!.replace(/\ufffd/g, '')).toBe(wanted.replace(/\ufffd/g, ''));
      }
    });
  }
});
