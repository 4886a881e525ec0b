import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SessionsService } from '../../../src/web/sessions.service.js';
import { SmtpSink } from '../../support/smtp-sink.js';
import { TestApp, type TestAppOptions } from '../../support/test-app.js';

/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`) through playwright-core:
 * nothing is downloaded. CHROMIUM_PATH overrides where it is.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Text a hostile user might type anywhere; pages and emails must show it as text. */
export const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">{{x}}"'&`;

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A Concord service listening on a real port, a real SMTP sink for its emails, and Chromium. */
export class BrowserHarness {
  private contexts: BrowserContext[] = [];

  private constructor(
    readonly t: TestApp,
    readonly baseUrl: string,
    readonly browser: Browser,
    readonly smtp: SmtpSink,
  ) {}

  static async start(options: TestAppOptions = {}): Promise<BrowserHarness> {
    // The sink first: it listens on a port of its own, which could otherwise be the one just found free.
    const smtp = new SmtpSink();
    await smtp.start();
    const { t, baseUrl } = await BrowserHarness.listening(options, smtp);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Flags for a closed network: no background calls home, no component updates.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    return new BrowserHarness(t, baseUrl, browser, smtp);
  }

  /**
   * The service on a free port, its public URL naming that port. A port found free can still be
   * taken by another test file before the service listens on it: then the service starts again
   * on another one.
   */
  private static async listening(options: TestAppOptions, smtp: SmtpSink): Promise<{ t: TestApp; baseUrl: string }> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const t = await TestApp.start({ ...options, env: { PORT: String(port), PUBLIC_URL: baseUrl, SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, ...options.env } });
      try {
        await t.app.listen(port, '127.0.0.1');
        return { t, baseUrl };
      } catch (error) {
        await t.close();
        if (attempt >= 5 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      }
    }
  }

  /** A fresh browser profile (its own cookies) with a window of the given width. */
  async newPage(width = 1280, height = 900): Promise<Page> {
    const context = await this.browser.newContext({ baseURL: this.baseUrl, viewport: { width, height } });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  /** Signs in through the sign-in page with an API token, as a person would. */
  async signIn(token: string, width = 1280): Promise<Page> {
    const page = await this.newPage(width);
    await page.goto('/sign-in');
    await page.getByRole('textbox', { name: 'API token' }).fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  }

  /** Sends what the outbox holds, now (sign-in links asked for included: they are written after their answer). */
  async dispatchOutbox(): Promise<void> {
    await this.t.app.get(SessionsService).linkRequestsServed();
    const response = await this.t.as().post('/api/notifications/dispatch').send({});
    if (response.status >= 300) throw new Error(`dispatch: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    await this.browser.close();
    await this.t.close();
    await this.smtp.stop();
  }
}

export interface PageCheck {
  /** axe-core violations of impact serious or critical: "rule: target" lines. */
  accessibility: string[];
  /** How far the page is wider than the window (0 when nothing scrolls sideways). */
  overflow: number;
  /** Whether any hostile script ran. */
  pwned: boolean;
}

/**
 * What every page must pass: no serious accessibility violation (axe-core: labels, names,
 * contrast, landmarks…), no sideways scrolling at the window's width, no injected script run.
 */
export async function checkPage(page: Page): Promise<PageCheck> {
  // Evaluated through the DevTools protocol, so the page's content security policy does not apply.
  await page.evaluate(AXE_SOURCE);
  // Strings rather than functions: they run in the page, where the DOM's types live.
  const accessibility = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id + ': ' + violation.nodes.map((node) => node.target.join(' ')).join(', ')))`)) as string[];
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
  const pwned = (await page.evaluate('window.__pwned === 1')) as boolean;
  return { accessibility, overflow, pwned };
}

/** The same check as a Jest expectation, with the page's address in the message. */
export async function expectPageOk(page: Page): Promise<void> {
  const check = await checkPage(page);
  expect({ url: page.url(), ...check }).toEqual({ url: page.url(), accessibility: [], overflow: 0, pwned: false });
}

/**
 * With SCREENSHOTS_DIR set (`npm run screenshots` sets docs/screenshots), saves the page as
 * <name>.png there; otherwise does nothing, so tests never write into the checkout.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const directory = process.env.SCREENSHOTS_DIR;
  if (!directory) return;
  mkdirSync(directory, { recursive: true });
  await page.screenshot({ path: join(directory, `${name}.png`), fullPage: true });
}
