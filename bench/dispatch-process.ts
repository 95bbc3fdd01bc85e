// The reminder dispatch in a process of its own, for the scenario that runs it while the
// service answers clicks: the load generator's timers then share no event loop with it.
// Reads its settings from BENCH_DISPATCH_OPTIONS (JSON) and prints its rows as one JSON line.
import { createCardPresenter } from '../src/app/card-presenter.js';
import { runDispatchBench, type DispatchBenchOptions } from './dispatch.js';

const options = JSON.parse(process.env.BENCH_DISPATCH_OPTIONS ?? '{}') as Omit<DispatchBenchOptions, 'presenter' | 'progress'>;
const rows = await runDispatchBench({ ...options, presenter: createCardPresenter(), progress: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify({ rows })}\n`);
