/** Rendering one survey email from the compiled template, eleven signed links included, against compiling MJML per recipient. */
import { readFile } from 'node:fs/promises';
import { surveyLinks } from '../src/app/links.js';
import { keyringFromSecrets } from '../src/domain/token.js';
import { renderSurveyMessage } from '../src/mail/survey-message.js';
import { compileMjml, loadEmailTemplate, TEMPLATES_DIR } from '../src/mail/templates.js';
import { formatNs, nsPerOp, type BenchLine } from './measure.js';

export async function benchRender(): Promise<BenchLine[]> {
  const template = await loadEmailTemplate('survey');
  const keyring = keyringFromSecrets(['bench-secret-that-is-long-enough-000000000']);
  const closesAt = new Date(Date.now() + 30 * 86_400_000);
  let n = 0;
  const renderOne = () => {
    const id = `delivery${(n++).toString(36).padStart(14, '0')}`;
    return renderSurveyMessage(template, { mailFrom: 'Client Success <success@agency.test>', company: 'Northwind Content' }, {
      email: `person${n}@client.test`,
      name: `Person ${n}`,
      accountName: 'Client Ltd',
      accountManagerName: 'Ann Manager',
      messageId: `<nps.${id}@nps.test>`,
      ...surveyLinks('https://nps.example.com', keyring, id, closesAt),
    });
  };
  const render = await nsPerOp(renderOne, 20_000);
  const mjmlSource = await readFile(`${TEMPLATES_DIR}/survey.mjml`, 'utf8');
  const compile = await nsPerOp(() => compileMjml(mjmlSource, 'survey.mjml'), 20, 5);
  return [
    {
      name: 'render one survey email (compiled template, 11 signed links, both parts)',
      value: formatNs(render),
      baseline: `${formatNs(compile)} (MJML compile per recipient)`,
      ratio: `${(compile / render).toFixed(0)}x faster`,
      target: '< 50 µs',
      ok: render < 50_000,
    },
  ];
}
