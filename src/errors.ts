/** The one error type the application throws on purpose; web and CLI map its code to a status or exit. */

export type AppErrorCode =
  | 'InvalidInput'
  | 'InvalidToken'
  | 'ExpiredToken'
  | 'SurveyClosed'
  | 'NotFound'
  | 'CampaignNotFound'
  | 'CampaignAlreadyStarted'
  | 'NotAuthenticated'
  | 'Forbidden'
  | 'ServiceUnavailable';

/** An expected failure with a message fit to show the person who caused it. */
export class AppError extends Error {
  constructor(readonly code: AppErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
  }
}

/** HTTP status per code: the domain never picks one. */
export const HTTP_STATUS: Record<AppErrorCode, 400 | 401 | 403 | 404 | 409 | 410 | 503> = {
  InvalidInput: 400,
  InvalidToken: 404,
  ExpiredToken: 410,
  SurveyClosed: 410,
  NotFound: 404,
  CampaignNotFound: 404,
  CampaignAlreadyStarted: 409,
  NotAuthenticated: 401,
  Forbidden: 403,
  ServiceUnavailable: 503,
};
