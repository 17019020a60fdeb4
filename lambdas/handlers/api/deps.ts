import { BackupStarter } from '../backup-starter';
import { Observability } from '../observability';
import { RestoreStarter } from '../restore-starter';
import { ServiceProvider } from '../service';

export interface ApiDeps {
  service: ServiceProvider;
  observability: Observability;
  /** Starts on-demand backups. */
  backups: () => BackupStarter;
  /** Starts the restore state machine, and describes its executions. */
  restores: () => RestoreStarter;
  now?: () => Date;
}
