/** Survey links: GET shows the page (never records), POST records the score and the answers. */
import { Hono, type Context } from 'hono';
import type { SecureHeadersVariables } from 'hono/secure-headers';
import { createSurveyResponder, type RequestEvidence } from '../../app/responses.js';
import type { StoredResponse } from '../../db/responses-repo.js';
import { AppError } from '../../errors.js';
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

function optionalAnswer(value: string | undefined, label: string): string | null {
  if (value === undefined) return null;
  const text = value.replace(/\r\n/g, '\n').trim();
  if (text.length > MAX_ANSWER) throw new AppError('InvalidInput', `The answer to “${label}” is longer than ${MAX_ANSWER} characters.`);
  return text === '' ? null : text;
}

const evidence = (c: Context): RequestEvidence => ({ method: c.req.method, network: coarseNetwork(c), userAgent: userAgent(c) });

/** The survey page for a token: `score` selected, the stored answers filled in. */
function surveyPage(c: Context<{ Variables: SecureHeadersVariables }>, deps: WebDeps, token: string, view: { score: number | null; recordOnLoad: boolean; stored: StoredResponse | undefined; saved: boolean }) {
  c.header('Cache-Control', 'no-store');
  return page(
    c,
    <SurveyPage
      formAction={`/s/${token}`}
      scoreAction={`/s/${token}/score`}
      company={deps.config.companyName}
      score={view.score}
      recordOnLoad={view.recordOnLoad}
      answers={{ reason: view.stored?.reason ?? '', wentWell: view.stored?.wentWell ?? '', toImprove: view.stored?.toImprove ?? '' }}
      notice={view.saved ? { kind: 'ok', text: 'Thank you! Your answers are saved. You can change them here until the survey closes.' } : null}
      nonce={view.recordOnLoad ? c.get('secureHeadersNonce') : undefined}
    />,
  );
}

/** The survey routes, mounted at /s. */
export function surveyRoutes(deps: WebDeps) {
  const app = new Hono<{ Variables: SecureHeadersVariables }>();
  // Built once per app: it holds the prepared statement of the score POST, the hot path (bench/).
  const survey = createSurveyResponder(deps, deps.log);

  // A score link from the email. GET and HEAD (scanners, previews) only show the page.
  app.get('/:token/:score', async (c) => {
    const token = c.req.param('token');
    const deliveryId = await survey.open(token);
    const score = parseScore(c.req.param('score'));
    await survey.viewed(deliveryId, score, evidence(c));
    return surveyPage(c, deps, token, { score, recordOnLoad: true, stored: await survey.stored(deliveryId), saved: false });
  });

  // The page records the clicked score with this POST, without a second action by the person.
  app.post('/:token/score', async (c) => {
    // Token only: the score statement itself refuses a closed survey, one query on the hot path.
    const deliveryId = survey.deliveryOf(c.req.param('token'));
    const score = parseScore((await readForm(c)).score);
    await survey.recordScore(deliveryId, score, evidence(c));
    c.header('Cache-Control', 'no-store');
    return c.json({ ok: true, score });
  });

  // The follow-up page: the stored answer, editable until the survey closes.
  app.get('/:token', async (c) => {
    const token = c.req.param('token');
    const deliveryId = await survey.open(token);
    const stored = await survey.stored(deliveryId);
    return surveyPage(c, deps, token, { score: stored?.score ?? null, recordOnLoad: false, stored, saved: c.req.query('saved') === '1' && stored !== undefined });
  });

  // The form: score and answers together (also the no-JavaScript way to record the score).
  app.post('/:token', async (c) => {
    const token = c.req.param('token');
    const deliveryId = survey.deliveryOf(token);
    const form = await readForm(c);
    const score = parseScore(form.score);
    await survey.saveForm(
      deliveryId,
      score,
      {
        reason: optionalAnswer(form.reason, 'What is the main reason for your score?'),
        wentWell: optionalAnswer(form.went_well, 'What are we doing well?'),
        toImprove: optionalAnswer(form.to_improve, 'What could we do better?'),
      },
      evidence(c),
    );
    return c.redirect(`/s/${token}?saved=1`, 303);
  });

  return app;
}
