import { Dataset } from './dataset';
import { BenchOptions } from './options';

/** What every benchmark section gets. */
export interface BenchContext {
  options: BenchOptions;
  dataset: Dataset;
  environment: BenchEnvironment;
}

export interface BenchEnvironment {
  node: string;
  redisServer: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  platform: string;
  /** How peak RSS is measured in this run. */
  rssMethod: string;
  /** 1/5/15-minute load averages when the run started (other work on the machine skews the timings). */
  loadAverageAtStart: number[];
}

export interface GoalResult {
  goal: string;
  target: string;
  actual: string;
  met: boolean;
}

export interface SectionOutcome {
  /** The human-readable report (tables, goals). */
  text: string;
  /** Where the JSON results were written. */
  jsonPath: string;
  goals: GoalResult[];
}

/**
 * One benchmark (verify now; capture and restore later). Sections run in order
 * against the same cached dataset and each writes .bench/results-<name>.json.
 */
export interface BenchSection {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<SectionOutcome>;
}
