import { tokenDeclarations } from './tokens.ts'

// The panel's whole stylesheet, inside its shadow root. Page selectors cannot reach in, but
// inherited properties (font, colour, line height) would, through the host element; and a page's
// `!important` rules beat a shadow root's plain ones. So the host is reset with `all: initial
// !important` (in the shadow root, an important rule wins), and the panel sets its own font and colour.
// Its colours are the design tokens it shares with the dashboard (tokens.ts).
export const PANEL_CSS = /* css */ `
:host {
  all: initial !important;
}
.launcher, .panel {
  ${tokenDeclarations()}
  font: 13px/1.45 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  letter-spacing: normal;
  color: var(--text);
  text-align: left;
}
*, *::before, *::after { box-sizing: border-box; }
button, input { font: inherit; color: inherit; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.launcher, .panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483646; }
.launcher.docked, .panel.docked { position: static; }

.launcher {
  display: inline-flex; align-items: center; gap: 8px;
  padding: 8px 14px; border: 1px solid var(--line); border-radius: 999px;
  background: var(--surface); box-shadow: 0 4px 16px rgba(16, 24, 40, .12); cursor: pointer; font-weight: 600;
}
.launcher .count { font-weight: 500; color: var(--muted); }

.panel {
  display: flex; flex-direction: column;
  width: 440px; max-width: calc(100vw - 32px); height: min(72vh, 600px);
  background: var(--surface); border: 1px solid var(--line); border-radius: 12px;
  box-shadow: 0 12px 40px rgba(16, 24, 40, .18); overflow: hidden;
}
.panel.docked { width: 100%; max-width: none; height: 100%; min-height: 320px; box-shadow: none; }

header { display: flex; align-items: center; gap: 10px; padding: 10px 12px 6px 16px; }
h2 { margin: 0; font-size: 14px; font-weight: 650; }
.session { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--muted); font: 11px ui-monospace, SFMono-Regular, Menlo, monospace; }
button { cursor: pointer; }
button.icon { width: 28px; height: 28px; border: 0; border-radius: 6px; background: transparent; font-size: 18px; line-height: 1; color: var(--muted); }
button.icon:hover { background: var(--bg); color: var(--text); }

.status { display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0 16px 10px; list-style: none; }
.chip { display: inline-flex; align-items: center; gap: 6px; padding: 2px 9px; border-radius: 999px; font-size: 12px; background: var(--neutral-soft); color: var(--muted); }
.chip.good { background: var(--good-soft); color: var(--good); }
.chip.bad { background: var(--bad-soft); color: var(--bad); }
.chip.warn { background: var(--warn-soft); color: var(--warn); }
.chip.info { background: var(--accent-soft); color: var(--accent); }
.dot { width: 7px; height: 7px; border-radius: 50%; background: currentColor; flex: none; }
.launcher .dot.good { color: var(--good); }
.launcher .dot.warn { color: var(--warn); }
.launcher .dot.bad { color: var(--bad); }

.tabs { display: flex; gap: 4px; padding: 0 12px; border-bottom: 1px solid var(--line); }
[role="tab"] { padding: 8px 10px; border: 0; border-bottom: 2px solid transparent; background: none; color: var(--muted); font-weight: 550; }
[role="tab"][aria-selected="true"] { color: var(--text); border-bottom-color: var(--accent); }
[role="tab"]:hover { color: var(--text); }

.body { flex: 1; min-height: 0; overflow: auto; }
.toolbar { position: sticky; top: 0; display: flex; gap: 8px; padding: 10px 12px; background: var(--surface); border-bottom: 1px solid var(--line); z-index: 1; }
.filter { flex: 1; }
input { width: 100%; padding: 6px 9px; border: 1px solid var(--line); border-radius: 7px; background: var(--surface); }
input:focus { border-color: var(--accent); }
input[aria-invalid="true"] { border-color: var(--bad); }
button.ghost, form button { padding: 6px 12px; border: 1px solid var(--line); border-radius: 7px; background: var(--surface); }
button.ghost:hover, form button:hover:not(:disabled) { background: var(--bg); }
form button:disabled { opacity: .5; cursor: default; }

.rows { margin: 0; padding: 0; list-style: none; }
.row { border-bottom: 1px solid var(--line); }
summary { display: grid; grid-template-columns: auto 136px 1fr; align-items: baseline; column-gap: 8px; row-gap: 2px; padding: 8px 14px; cursor: pointer; list-style: none; }
summary::-webkit-details-marker { display: none; }
summary:hover { background: var(--bg); }
.time { color: var(--muted); font: 11px ui-monospace, SFMono-Regular, Menlo, monospace; }
.badge { justify-self: start; padding: 0 7px; border-radius: 5px; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .02em; background: var(--neutral-soft); color: var(--muted); }
.badge.good { background: var(--good-soft); color: var(--good); }
.badge.bad { background: var(--bad-soft); color: var(--bad); }
.badge.warn { background: var(--warn-soft); color: var(--warn); }
.badge.info { background: var(--accent-soft); color: var(--accent); }
.badge.vars { background: var(--vars-soft); color: var(--vars); }
.title { font-weight: 600; overflow-wrap: anywhere; }
.detail { grid-column: 3; color: var(--muted); overflow-wrap: anywhere; }
.payload { margin: 0; padding: 10px 14px 12px; background: var(--bg); font: 12px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }

.empty, .hint { margin: 0; padding: 16px; color: var(--muted); }
.hint { padding-top: 4px; font-size: 12px; }
.vars table { width: 100%; border-collapse: collapse; }
.vars th, .vars td { padding: 6px 12px; border-bottom: 1px solid var(--line); text-align: left; }
.vars th { width: 38%; font-weight: 600; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; overflow-wrap: anywhere; }
.vars input.value { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.add { display: grid; grid-template-columns: 1fr 1fr auto; gap: 8px; padding: 12px; }

@media (max-width: 520px) {
  .panel:not(.docked) { right: 0; bottom: 0; width: 100vw; max-width: 100vw; height: 70vh; border-radius: 14px 14px 0 0; }
  .launcher:not(.docked) { right: 12px; bottom: 12px; }
  /* Narrow: time and kind on one line, the event below, full width. */
  summary { grid-template-columns: auto 1fr; }
  .title, .detail { grid-column: 1 / -1; }
}
`
