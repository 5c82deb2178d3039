/** The frame of every customer page: language, direction, branding, language switcher. */
import type { Child } from "hono/jsx";
import type { Branding } from "./branding";
import { INTL_LOCALE, LANGS, messages, type Lang, type Messages } from "./i18n";
import { CSS, SCRIPT } from "./styles";

export interface PageContext {
  lang: Lang;
  m: Messages;
  tenantName: string;
  tenantZone: string | null;
  branding: Branding;
  /** The current page's URL with another language (the switcher's links). */
  hrefFor: (lang: Lang) => string;
}

const STEP_KEYS = ["service", "staff", "time", "details", "done"] as const;

export function Steps({ m, current }: { m: Messages; current: number }) {
  return (
    <ol class="steps" aria-label={m.stepOf(current, STEP_KEYS.length)}>
      {STEP_KEYS.map((key, i) => (
        <li aria-current={i + 1 === current ? "step" : undefined}>{m.steps[key]}</li>
      ))}
    </ol>
  );
}

export function Layout(props: { ctx: PageContext; title: string; children: Child }) {
  const { ctx } = props;
  const { m, branding } = ctx;
  const vars = `:root{--a:${branding.accent};--on-a:${branding.onAccent};--at:${branding.accentText}}`;
  return (
    <html lang={ctx.lang} dir={m.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content={branding.accent} />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · ${ctx.tenantName}`}</title>
        <style dangerouslySetInnerHTML={{ __html: vars + CSS }} />
      </head>
      <body data-tz={ctx.tenantZone ?? undefined} data-locale={INTL_LOCALE[ctx.lang]}>
        <a class="skip" href="#main">
          {m.skip}
        </a>
        <header class="top">
          <div class="bar">
            <a class="brand" href={`/?lang=${ctx.lang}`}>
              {branding.logoUrl ? (
                <img src={branding.logoUrl} alt="" height={48} />
              ) : (
                <span class="mono" aria-hidden="true">
                  {ctx.tenantName.trim().charAt(0).toUpperCase()}
                </span>
              )}
              <span>{ctx.tenantName}</span>
            </a>
            <nav aria-label={m.languages}>
              <ul class="langs">
                {LANGS.map((lang) => (
                  <li>
                    <a href={ctx.hrefFor(lang)} lang={lang} hreflang={lang} aria-current={lang === ctx.lang ? "true" : undefined}>
                      {messages(lang).langName}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer>{m.poweredBy}</footer>
        <script dangerouslySetInnerHTML={{ __html: SCRIPT }} />
      </body>
    </html>
  );
}
