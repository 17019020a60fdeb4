import { RemovalPolicy } from 'aws-cdk-lib';
import { CommonEnvInput } from '../config/function-env';
import { ResolvedConfig } from '../config/types';
import { Alerting } from './alerting';
import { FunctionNetwork } from './service-function';
import { StoreAccess } from './store-access';

/** What the stack hands every part of the service (backups, maintenance, restores, the API). */
export interface ServicePartProps {
  config: ResolvedConfig;
  store: StoreAccess;
  /** The environment every function shares (store, service name, metrics namespace, log level). */
  common: CommonEnvInput;
  alerting: Alerting;
  removalPolicy: RemovalPolicy;
}

/** A part whose functions reach Redis: in the VPC when one is configured. */
export interface NetworkedPartProps extends ServicePartProps {
  network: FunctionNetwork | null;
}
