import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { Service } from '../service';

/** What every restore step gets. */
export interface StepContext {
  service: Service;
  lambda: Context;
  logger: Logger;
  metrics: Metrics;
  /** The restore step stops after a chunk when less than this (plus twice the slowest chunk) is left of the run. */
  reserveMs: number;
}
