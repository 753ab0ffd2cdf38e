/** The survey page: score buttons, the three follow-up questions, and the script that records the click. */
import { raw } from 'hono/html';
import { Layout } from './layout.js';

export interface SurveyPageProps {
  formAction: string;
  scoreAction: string;
  company: string;
  /** The score to show selected; null when none is chosen yet. */
  score: number | null;
  /** Record `score` by POST as soon as the page loads (the person clicked it in the email). */
  recordOnLoad: boolean;
  answers: { reason: string; wentWell: string; toImprove: string };
  notice: { kind: 'info' | 'ok' | 'bad'; text: string } | null;
  nonce: string | undefined;
}

const SCORES = Array.from({ length: 11 }, (_, n) => n);

/** The page a score link opens, and the follow-up page once a score is stored. */
export function SurveyPage(p: SurveyPageProps) {
  return (
    <Layout title="Your feedback">
      <h1>How likely are you to recommend {p.company} to a friend or colleague?</h1>
      <form method="post" action={p.formAction} id="survey">
        <fieldset class="scores" aria-label="Score from 0 (not likely) to 10 (very likely)">
          {SCORES.map((n) => (
            <label>
              <input type="radio" name="score" value={String(n)} checked={p.score === n} required />
              <span>{n}</span>
            </label>
          ))}
        </fieldset>
        <div class="ends">
          <span>Not likely</span>
          <span>Very likely</span>
        </div>
        <div id="status" role="status" class={`status ${p.notice?.kind ?? ''}`} hidden={p.notice === null}>
          {p.notice?.text ?? ''}
        </div>
        {p.recordOnLoad ? (
          <noscript>
            <div class="status">Press “Record my answer” below to record your score of {p.score}.</div>
          </noscript>
        ) : null}
        <label for="reason">What is the main reason for your score?</label>
        <textarea id="reason" name="reason" maxlength={5000}>{p.answers.reason}</textarea>
        <label for="went_well">What are we doing well?</label>
        <textarea id="went_well" name="went_well" maxlength={5000}>{p.answers.wentWell}</textarea>
        <label for="to_improve">What could we do better?</label>
        <textarea id="to_improve" name="to_improve" maxlength={5000}>{p.answers.toImprove}</textarea>
        <button type="submit">Record my answer</button>
        <p class="muted">You can come back to this page and change your answer until the survey closes.</p>
      </form>
      {p.recordOnLoad ? <script nonce={p.nonce}>{raw(recordScript(p.scoreAction, p.score ?? 0))}</script> : null}
    </Layout>
  );
}

// Records the clicked score by POST from the page, so a GET (what mail scanners do) never does.
function recordScript(action: string, score: number): string {
  return `(function () {
  var status = document.getElementById('status');
  function show(kind, text) { status.hidden = false; status.className = 'status ' + kind; status.textContent = text; }
  show('info', 'Recording your score\\u2026');
  fetch(${JSON.stringify(action)}, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'score=' + ${score},
    credentials: 'omit'
  }).then(function (r) {
    if (r.ok) show('ok', 'Thank you! Your score of ${score} is recorded. Tell us a little more below, if you like.');
    else return r.text().then(function () { show('bad', r.status === 410 ? 'This survey has closed.' : 'We could not record your score. Press \\u201cRecord my answer\\u201d to try again.'); });
  }).catch(function () { show('bad', 'We could not reach the server. Press \\u201cRecord my answer\\u201d to try again.'); });
  // Picking another number is saved by the button, like the answers; say so instead of a stale "recorded".
  document.getElementById('survey').addEventListener('change', function (e) {
    if (e.target && e.target.name === 'score') show('info', 'Press \\u201cRecord my answer\\u201d to change your score to ' + e.target.value + '.');
  });
})();`;
}
