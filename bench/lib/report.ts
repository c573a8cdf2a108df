import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { median, summary } from './stats.js';
import type { BenchOptions, Measurement } from './types.js';

/** The group's table, ratios taken round by round against each baseline. */
function table(measurements: Measurement[]): string {
  const byName = new Map(measurements.map((measurement) => [measurement.scenario, measurement]));
  const rows = measurements.map((measurement) => {
    const baselines = (measurement.baseline ?? []).filter((name) => byName.has(name));
    const ratios = baselines.map((name) => {
      const against = byName.get(name)!.samples;
      const perRound = measurement.samples.map((value, round) => (measurement.better === 'higher' ? value / against[round]! : against[round]! / value));
      return `${summary(perRound, 2)}×`;
    });
    const digits = median(measurement.samples) < 10 ? 2 : 0;
    return `| ${measurement.scenario} | ${summary(measurement.samples, digits)} ${measurement.unit} | ${ratios.join('<br>') || '—'} | ${baselines.join('<br>') || '—'} | ${measurement.target ?? ''} |`;
  });
  return ['| scenario | median [range] | ratio, median [range] of rounds | against | target |', '| --- | ---: | ---: | --- | --- |', ...rows].join('\n');
}

/** Replaces the group's section of BENCHMARKS.md (between its markers; appended when new). */
export async function writeGroup(
  group: string,
  measurements: Measurement[],
  options: BenchOptions,
  notes: string[] = [],
  loadAtStart: number = loadavg()[0]!,
): Promise<string> {
  const stamp = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length}× ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB,`,
    `Node ${process.version}; ${options.rounds} interleaved rounds${group === 'start' || group === 'memory' ? '' : `, ${options.seconds} s × ${options.connections} connections each`}; load generator on the same machine; load average (1 min) ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end.`,
  ].join(' ');
  const body = [stamp, '', table(measurements), ...notes.map((note) => `\n${note}`)].join('\n');
  const file = 'BENCHMARKS.md';
  const current = await readFile(file, 'utf8');
  const start = `<!-- ${group}-results:start -->`;
  const end = `<!-- ${group}-results:end -->`;
  const section = `${start}\n${body}\n${end}`;
  const updated = current.includes(start)
    ? current.replace(new RegExp(`${start}[\\s\\S]*${end}`), () => section)
    : `${current.trimEnd()}\n\n## \`${group}\`\n\n${section}\n`;
  await writeFile(file, updated);
  return body;
}
