import type { EntityManager } from 'typeorm';
import { type KnownRecipient, type Recipient, RecipientDirectory } from '../common/recipient.js';
import { I18nService } from '../i18n/i18n.service.js';
import { loadCatalogues } from '../i18n/catalogues.js';
import { Translator } from '../i18n/translator.js';
import { type Composer, MessageComposer } from './message-composer.js';
import type { Notification } from './notification.entity.js';
import { TemplateRenderer } from './template-renderer.js';

class Directory extends RecipientDirectory {
  constructor(private readonly people: Record<string, KnownRecipient>) {
    super();
  }
  async find(_manager: EntityManager, personId: string): Promise<KnownRecipient | null> {
    return this.people[personId] ?? null;
  }
}

describe('MessageComposer and the recipient’s language', () => {
  const translator = new Translator(loadCatalogues(), 'throw');
  const directory = new Directory({
    olena: { name: 'Олена', email: 'olena@example.com', timezone: 'Europe/Kyiv', locale: 'uk' },
    ada: { name: 'Ada', email: 'ada@example.com', timezone: 'Europe/Paris', locale: null },
  });
  const composer = new MessageComposer(new TemplateRenderer(translator), directory, new I18nService('fr', translator));
  const seen: Recipient[] = [];
  const record: Composer = async (_manager, _notification, recipient) => {
    seen.push(recipient);
    return { subject: composer.t(recipient, 'common.layout.signOut'), html: '', text: '' };
  };
  composer.register('sign-in-link', record);
  const compose = (recipientId: string | null) => composer.compose({} as EntityManager, { kind: 'sign-in-link', recipientId, recipientEmail: 'x@example.com' } as Notification);

  it('gives each recipient their own language, else the organisation’s default', async () => {
    expect((await compose('olena'))?.subject).toBe('Вийти');
    expect((await compose('ada'))?.subject).toBe('Se déconnecter');
    expect((await compose(null))?.subject).toBe('Se déconnecter');
    expect(seen.map((recipient) => recipient.locale)).toEqual(['uk', 'fr', 'fr']);
  });

  it('puts the language at the root of an email’s context, where the helpers read it', () => {
    const recipient = { name: 'Ada', email: 'ada@example.com', timezone: 'Europe/Paris' };
    const context = { title: 'At risk', recipient, subject: 's-1', target: 'hot', agreement: 'Hot leads', usedPercent: 80, dueAt: '2026-11-09T08:30:00.000Z' };
    expect(composer.renderPair('at-risk', context, 'fr').html).toMatch(/lun\. 9 nov\. 2026/);
    expect(composer.renderPair('at-risk', context).html).toContain('Mon 9 Nov 2026, 09:30 Europe/Paris');
  });
});
