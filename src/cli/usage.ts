/** The `nps` command's help text. */
export const USAGE = `Usage: nps <command> [options]      (in a checkout: npm run nps -- <command>)

Run:
  start                                 everything in one process: migrations, web, workers, scheduler
  web                                   the web process alone (survey links, admin, /healthz)
  worker                                the queue workers and the quarterly scheduler alone
  migrate                               bring the database schema up to date

Staff and clients:
  staff add --email E --name N --role admin|account_manager
                                        password from NPS_PASSWORD, or generated and printed once
  import clients FILE.csv               columns account,email,name,account_manager_email,segment,
                                        locale,time_zone (first two required); upsert by email;
                                        bad rows are reported by line and skipped (exit code 1)

Campaigns and results:
  campaign create --quarter 2026-Q4 [--segment managed|self_serve] [--account-manager EMAIL] [--send-at ISO]
                                        prints the new campaign id
  campaign send ID                      start it now (a worker sends the emails)
  campaign list [--json]                campaigns with sent / responded counts
  results [--quarter Q | --campaign ID] [--by account_manager|segment|account|channel] [--json]

Settings come from the environment (see .env.example).`;
