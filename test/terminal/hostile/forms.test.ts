/**
 * Issue 9, section 2: an S3 log edited to drop a command that the CloudWatch copy still has. The
 * two forms disagree beyond what the agent's processing explains; the command is kept, uncertain.
 */
import { describe, expect, it } from 'vitest';
import { compareForms, mergeForms } from '../../../src/terminal/index.ts';
import { BASH, DASH, fromCloudWatch, fromS3, HIDDEN } from './support.ts';

for (const shell of [DASH, BASH]) {
  describe(`forms that disagree, ${shell.name}`, () => {
    const genuine = `${shell.cycle('id')}uid=1000\r\n${shell.cycle(HIDDEN)}${shell.cycle('ls')}notes\r\n${shell.cycle('exit')}`;
    const edited = `${shell.cycle('id')}uid=1000\r\n${shell.cycle('ls')}notes\r\n${shell.cycle('exit')}`;

    it('an S3 log edited to drop a command the CloudWatch copy still has: forms disagree, the command is kept as uncertain', async () => {
      const s3 = await fromS3(edited);
      const cw = fromCloudWatch(genuine);
      const comparison = compareForms(s3, cw);
      expect(comparison.disagree).toBe(true);
      expect(comparison.cloudWatchOnly.map((c) => c.text)).toEqual([HIDDEN]);
      const merged = mergeForms(s3, cw);
      expect(merged.commands.map((c) => [c.text, c.fidelity, c.executed])).toEqual([
        ['id', 'exact', true],
        [HIDDEN, 'uncertain', null],
        ['ls', 'exact', true],
        ['exit', 'exact', true],
      ]);
      expect(merged.commands.map((c) => c.seq)).toEqual([0, 1, 2, 3]);
      expect(merged.formsComparison?.disagree).toBe(true);
    });

    it('the two forms of an unedited session agree', async () => {
      const comparison = compareForms(await fromS3(genuine), fromCloudWatch(genuine));
      expect(comparison).toMatchObject({ disagree: false, cloudWatchOnly: [], s3Only: [] });
    });
  });
}

it('a Tab-completed prefix that only CloudWatch shows is explained by the agent processing', async () => {
  const raw = `${DASH.cycle('id')}$ ls /etc/host\x07name\r\n/etc/hostname\r\n${DASH.cycle('exit')}`;
  const s3 = await fromS3(raw);
  const cw = {
    ...s3,
    commands: [s3.commands[0]!, { ...s3.commands[1]!, text: 'ls /etc/host' }, ...s3.commands.slice(1)],
  };
  expect(compareForms(s3, cw).disagree).toBe(false);
});
