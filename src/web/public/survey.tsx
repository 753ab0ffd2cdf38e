/** Survey links: GET shows the page (never records), POST records the score and the answers. */
import { Hono, type Context } from 'hono';
import type { SecureHeadersVariables } from 'hono/secure-headers';
import { findResponseByDelivery, findSurveyState, insertLinkEvent, prepareRecordScore, saveFollowUp } from '../../db/responses-repo.js';
import { isoNow } from '../../db/ids.js';
import { verifyToken } from '../../domain/token.js';
import { AppError } from '../../errors.js';
import { enqueueResults } from '../../queue/queues.js';
import type { WebDeps } from '../deps.js';
import { readForm } from '../form.js';
import { page } from '../render.js';
import { coarseNetwork, userAgent } from '../request-info.js';
import { SurveyPage } from '../views/survey-page.js';

const MAX_ANSWER = 5000;

/** Parses a score from a path segment or form field: whole numbers 0..10 only. */
function parseScore(value: unknown): number {
  if (typeof value === 'string' && /^(10|[0-9])$/.test(value.trim())) return Number(value.trim());
  throw new AppError('InvalidInput', 'The score must be a whole number from 0 to 10.');
}

function optionalAnswer(value: unknown, label: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new AppError('InvalidInput', `The answer to “${label}” is not text.`);
  const text = value.replace(/\r\n/g, '\n').trim();
  if (text.length > MAX_ANSWER) throw new AppError('InvalidInput', `The answer to “${label}” is longer than ${MAX_ANSWER} characters.`);
  return text === '' ? null : text;
}

/** The survey routes, mounted at /s. */
export function surveyRoutes(deps: WebDeps) {
  const app = new Hono<{ Variables: SecureHeadersVariables }>();
  // Prepared once per app: the score POST is the hot path (see bench/).
  const recordScore = prepareRecordScore(deps.db);

  const deliveryOf = (token: string) => {
    const check = verifyToken(deps.keyring, 'respond', token, deps.now());
    if (!check.ok) {
      if (check.problem === 'expired') throw new AppError('ExpiredToken', 'This survey has closed. Thank you for your interest.');
      throw new AppError('InvalidToken', 'This survey link is not valid. Please use the link from your email, complete and unchanged.');
    }
    return check.subject;
  };

  const openSurvey = async (deliveryId: string) => {
    const state = await findSurveyState(deps.db.kysely, deliveryId);
    if (!state) throw new AppError('InvalidToken', 'This survey link is not valid.');
    const closed = state.campaignStatus === 'closed' || (state.closesAt !== null && state.closesAt <= isoNow(deps.now()));
    if (closed) throw new AppError('SurveyClosed', 'This survey has closed. Thank you for your interest.');
    return state;
  };

  const logEvent = (c: Context, deliveryId: string, score: number | null) =>
    insertLinkEvent(deps.db.kysely, { deliveryId, method: c.req.method, score, at: isoNow(deps.now()), network: coarseNetwork(c), userAgent: userAgent(c) });

  const requestResults = (campaignId: string) =>
    enqueueResults(deps.queues, campaignId).catch((error: Error) => deps.log?.(`results: could not queue a recompute for ${campaignId}: ${error.message}`));

  const noStore = (c: Context) => c.header('Cache-Control', 'no-store');

  // A score link from the email. GET and HEAD (scanners, previews) only show the page.
  app.get('/:token/:score', async (c) => {
    const deliveryId = deliveryOf(c.req.param('token'));
    const score = parseScore(c.req.param('score'));
    await openSurvey(deliveryId);
    await logEvent(c, deliveryId, score);
    const stored = await findResponseByDelivery(deps.db.kysely, deliveryId);
    const token = c.req.param('token');
    noStore(c);
    return page(
      c,
      <SurveyPage
        formAction={`/s/${token}`}
        scoreAction={`/s/${token}/score`}
        company={deps.config.companyName}
        score={score}
        recordOnLoad={true}
        answers={{ reason: stored?.reason ?? '', wentWell: stored?.wentWell ?? '', toImprove: stored?.toImprove ?? '' }}
        notice={null}
        nonce={c.get('secureHeadersNonce')}
      />,
    );
  });

  // The page records the clicked score with this POST, without a second action by the person.
  app.post('/:token/score', async (c) => {
    const deliveryId = deliveryOf(c.req.param('token'));
    const body = await readForm(c);
    const score = parseScore(body.score);
    const now = isoNow(deps.now());
    const recorded = await recordScore(deliveryId, score, now);
    if (!recorded) throw new AppError('SurveyClosed', 'This survey has closed. Thank you for your interest.');
    await logEvent(c, deliveryId, score);
    await requestResults(recorded.campaignId);
    noStore(c);
    return c.json({ ok: true, score });
  });

  // The follow-up page: the stored answer, editable until the survey closes.
  app.get('/:token', async (c) => {
    const deliveryId = deliveryOf(c.req.param('token'));
    await openSurvey(deliveryId);
    const stored = await findResponseByDelivery(deps.db.kysely, deliveryId);
    const token = c.req.param('token');
    const saved = c.req.query('saved') === '1' && stored !== undefined;
    noStore(c);
    return page(
      c,
      <SurveyPage
        formAction={`/s/${token}`}
        scoreAction={`/s/${token}/score`}
        company={deps.config.companyName}
        score={stored?.score ?? null}
        recordOnLoad={false}
        answers={{ reason: stored?.reason ?? '', wentWell: stored?.wentWell ?? '', toImprove: stored?.toImprove ?? '' }}
        notice={saved ? { kind: 'ok', text: 'Thank you! Your answers are saved. You can change them here until the survey closes.' } : null}
        nonce={undefined}
      />,
    );
  });

  // The form: score and answers together (also the no-JavaScript way to record the score).
  app.post('/:token', async (c) => {
    const token = c.req.param('token');
    const deliveryId = deliveryOf(token);
    const body = await readForm(c);
    const score = parseScore(body.score);
    const answers = {
      reason: optionalAnswer(body.reason, 'What is the main reason for your score?'),
      wentWell: optionalAnswer(body.went_well, 'What are we doing well?'),
      toImprove: optionalAnswer(body.to_improve, 'What could we do better?'),
    };
    await openSurvey(deliveryId);
    const now = isoNow(deps.now());
    const recorded = await recordScore(deliveryId, score, now);
    if (!recorded) throw new AppError('SurveyClosed', 'This survey has closed. Thank you for your interest.');
    await saveFollowUp(deps.db.kysely, deliveryId, answers, now);
    await logEvent(c, deliveryId, score);
    await requestResults(recorded.campaignId);
    return c.redirect(`/s/${token}?saved=1`, 303);
  });

  return app;
}
