/** Renders the survey email for one delivery from the compiled template. */
import type { EmailTemplate } from './templates.js';
import type { OutgoingMessage } from './mailer.js';

/** Who gets the message and what its links are. */
export interface SurveyRecipient {
  email: string;
  name: string | null;
  accountName: string;
  accountManagerName: string | null;
  messageId: string;
  /** Base of the eleven score links; `/0` .. `/10` is appended. */
  scoreUrl: string;
  unsubscribeUrl: string;
}

/** Sender and wording shared by every message of a send. */
export interface SurveyWording {
  /** "Name <address>" or a bare address. */
  mailFrom: string;
  company: string;
}

const PREHEADER = 'One click on a number from 0 to 10 answers it. Ten seconds, and it helps us a lot.';

/** The From header: the account manager's name on the configured address, where known. */
export function senderAddress(mailFrom: string, managerName: string | null): string {
  if (!managerName) return mailFrom;
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `"${managerName.replace(/["\\\r\n]/g, '')}" <${address}>`;
}

/** The display name of "Name <address>", or the address itself. */
function displayName(mailFrom: string): string {
  return /^\s*"?([^"<]+?)"?\s*</.exec(mailFrom)?.[1] ?? mailFrom;
}

/** Fills the survey template for one recipient. */
export function renderSurveyMessage(template: EmailTemplate, wording: SurveyWording, r: SurveyRecipient): OutgoingMessage {
  const subject = `How likely are you to recommend ${wording.company}? (one click)`;
  const senderName = r.accountManagerName ?? displayName(wording.mailFrom);
  const values = {
    subject,
    preheader: PREHEADER,
    first_name: r.name?.split(/\s+/)[0] || 'there',
    intro: `Once a quarter we ask our clients one question, and we read every answer. As a client contact of ${r.accountName}, yours counts.`,
    company: wording.company,
    score_url: r.scoreUrl,
    sender_name: senderName,
    account_name: r.accountName,
    unsubscribe_url: r.unsubscribeUrl,
  };
  return {
    from: senderAddress(wording.mailFrom, r.accountManagerName),
    to: r.name ? `"${r.name.replace(/["\\\r\n]/g, '')}" <${r.email}>` : r.email,
    subject,
    html: template.html.fill(values),
    text: template.text.fill(values),
    messageId: r.messageId,
    unsubscribeUrl: r.unsubscribeUrl,
  };
}
