// A progress bar over a job's phases, shown only when stderr is a terminal.
import cliProgress from 'cli-progress';

export interface PhaseProgress {
  update: (phase: string, step: number, total: number) => void;
  stop: () => void;
}

export function phaseProgress(): PhaseProgress {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {value}/{total} {phase}  {duration}s', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(phase, step, total) {
      if (!started) {
        bar.start(total, step - 1, { phase });
        started = true;
      }
      bar.update(step - 1, { phase });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
