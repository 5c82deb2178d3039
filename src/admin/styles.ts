/**
 * The back office's one stylesheet, inlined like the customer pages' (no
 * extra request; the CSP nonce covers it). Logical properties so Arabic lays
 * out right to left with the same rules. Greys chosen for ≥ 4.5:1 on white.
 * Page modules add their own rules through AdminLayout's `css` prop.
 *
 * Layout: a sidebar (brand, nav, user menu) beside the content from 768 px;
 * below, a top bar with a menu button (the nav collapses; without script it
 * stays listed under the bar).
 */
export const ADMIN_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
:root{--a:#0f766e;--a-d:#0b5e58;--on-a:#fff;--bg:#f6f7f9;--line:#e3e6ea;--ink:#1f2328;--soft:#57606a;--side:15.5rem}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--a-d)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--a);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;inset-inline-start:.5rem;top:-5rem;background:#fff;padding:.5rem 1rem;z-index:20;border-radius:8px}
.skip:focus{top:.5rem}
.shell{min-height:100vh}
.side{background:#fff;border-bottom:1px solid var(--line)}
.side-top{display:flex;align-items:center;gap:.6rem;padding:.6rem .9rem;min-height:3.5rem}
.brand{display:flex;align-items:center;gap:.6rem;text-decoration:none;color:inherit;min-width:0;margin-inline-end:auto}
.brand b{display:block;font-size:.98rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.brand small{display:block;color:var(--soft);font-size:.78rem;line-height:1.2}
.mono{flex:none;display:inline-grid;place-items:center;width:2.25rem;height:2.25rem;border-radius:10px;background:var(--a);color:var(--on-a);font-weight:700}
.menu-btn{display:inline-flex;align-items:center;gap:.4rem;min-height:2.5rem;padding:.35rem .7rem;border:1px solid var(--line);border-radius:10px;background:#fff;color:var(--ink);font:inherit;font-weight:600;cursor:pointer}
.menu-btn[hidden]{display:none}.menu-btn svg{width:1.2rem;height:1.2rem}
.nav{list-style:none;margin:0;padding:.25rem .6rem .75rem;display:grid;gap:.15rem}
.nav a{display:flex;align-items:center;gap:.7rem;padding:.55rem .75rem;border-radius:10px;color:#3d444d;text-decoration:none;font-weight:600;min-height:2.75rem}
.nav a:hover{background:#f0f2f4;color:var(--ink)}
.nav a[aria-current=page]{background:#e6f2f1;color:var(--a-d)}
.nav svg{flex:none;width:1.2rem;height:1.2rem}
.nav .tag{margin-inline-start:auto;white-space:nowrap;font-size:.7rem;font-weight:600;color:var(--soft);background:#eef0f2;border-radius:999px;padding:.05rem .45rem}
.user{margin:0 .6rem .75rem;border-top:1px solid var(--line);padding-top:.6rem}
.user summary{display:flex;align-items:center;gap:.6rem;padding:.45rem .5rem;border-radius:10px;cursor:pointer;list-style:none;min-height:2.75rem}
.user summary::-webkit-details-marker{display:none}
.user summary:hover{background:#f0f2f4}
.avatar{flex:none;display:inline-grid;place-items:center;width:2rem;height:2rem;border-radius:50%;background:#e6f2f1;color:var(--a-d);font-weight:700;font-size:.85rem}
.who{min-width:0;flex:1}
.who b{display:block;font-size:.88rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.who small{display:block;color:var(--soft);font-size:.78rem}
.user-panel{padding:.5rem .5rem .25rem;display:grid;gap:.6rem}.user-panel .langs a{padding:.25rem .55rem}
.langs{display:flex;gap:.25rem;list-style:none;margin:0;padding:0;flex-wrap:wrap}
.langs a{display:block;padding:.3rem .65rem;border-radius:999px;text-decoration:none;font-size:.85rem;color:#3d444d;border:1px solid var(--line)}
.langs a[aria-current]{background:var(--a);border-color:var(--a);color:var(--on-a)}
.content{min-width:0}
.page-head{display:flex;align-items:center;gap:.75rem;flex-wrap:wrap;padding:1rem 1rem .25rem}
.page-head h1{font-size:1.35rem;line-height:1.25;margin:0;margin-inline-end:auto}
main{padding:.75rem 1rem 3rem}
main:focus{outline:none}
h2{font-size:1.05rem;margin:1.25rem 0 .5rem}
.card{background:#fff;border:1px solid var(--line);border-radius:14px;padding:1.1rem}
.empty{display:grid;place-items:center;text-align:center;gap:.4rem;padding:3rem 1rem;color:var(--soft)}
.empty svg{width:2.5rem;height:2.5rem;color:#8c959f}
.empty b{color:var(--ink);font-size:1.05rem}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:.4rem;min-height:2.6rem;padding:.5rem 1rem;border-radius:10px;border:1px solid var(--a);background:var(--a);color:var(--on-a);font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.btn:hover{background:var(--a-d);border-color:var(--a-d)}
.btn.ghost{background:#fff;color:var(--ink);border-color:#c9ced4}
.btn.ghost:hover{background:#f0f2f4}
.btn.danger{background:#b42318;border-color:#b42318;color:#fff}
.btn.block{width:100%}
.btn[disabled]{opacity:.6;cursor:progress}
.linkish{background:none;border:0;padding:.35rem 0;font:inherit;color:var(--a-d);text-decoration:underline;cursor:pointer}
.field{margin:0 0 1rem}
.field label{display:block;font-weight:600;margin-bottom:.3rem;font-size:.92rem}
.field input,.field select,.field textarea{width:100%;font:inherit;padding:.6rem .75rem;border:1px solid #8c959f;border-radius:10px;background:#fff;color:inherit;min-height:2.75rem}
.field [aria-invalid=true]{border-color:#b42318;border-width:2px}
.hint{display:block;color:var(--soft);font-size:.83rem;margin-top:.25rem}
.err{display:block;color:#b42318;font-size:.88rem;margin-top:.25rem;font-weight:600}
.req{color:var(--soft);font-weight:400;font-size:.8rem}
.alert{border-radius:10px;padding:.75rem 1rem;margin:0 0 1rem;border:1px solid}
.alert.bad{background:#fef3f2;border-color:#fda29b;color:#7a271a}
.alert.ok{background:#ecfdf3;border-color:#6ce9a6;color:#05603a}
.alert.info{background:#f0f5ff;border-color:#b2ccff;color:#1d3a8a}
.note{color:var(--soft);font-size:.88rem}
.auth{min-height:100vh;display:grid;place-items:center;padding:1.5rem 1rem}
.auth-box{width:100%;max-width:25rem}
.auth-brand{display:flex;align-items:center;gap:.7rem;margin:0 0 1.25rem}
.auth-brand b{display:block;font-size:1.05rem}
.auth-brand small{display:block;color:var(--soft);font-size:.82rem}
.auth .card{padding:1.5rem;box-shadow:0 1px 2px rgba(16,24,40,.04),0 8px 24px rgba(16,24,40,.06)}
.auth h1{font-size:1.35rem;margin:0 0 .35rem}
.auth .lead{color:var(--soft);margin:0 0 1.25rem}
.auth-foot{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap;margin-top:1rem;font-size:.88rem}
.auth-foot .langs a{border:0}
@media (min-width:768px){
.shell{display:grid;grid-template-columns:var(--side) minmax(0,1fr)}
.side{position:sticky;top:0;height:100vh;display:flex;flex-direction:column;border-bottom:0;border-inline-end:1px solid var(--line)}
.side-top{padding:1rem 1rem .75rem}
.menu-btn{display:none}
#side-nav{flex:1;overflow-y:auto}.nav{padding:.25rem .75rem}
.user{margin:0 .75rem 1rem}
.page-head{padding:1.5rem 2rem .25rem}
main{padding:1rem 2rem 3rem}
}
@media (max-width:767.98px){
html[data-js] .side:not(.open) .nav,html[data-js] .side:not(.open) .user{display:none}
.user-panel .langs{justify-content:flex-start}
}
`.replace(/\n/g, "");

/**
 * Progressive enhancement: the menu button (phones) shows and hides the nav;
 * a submit button greys out once pressed. Without script the nav stays listed.
 */
export const ADMIN_SCRIPT = `(function(){var d=document,h=d.documentElement;h.setAttribute("data-js","");
var b=d.getElementById("menu-btn"),s=d.getElementById("side");if(b&&s){b.hidden=false;b.addEventListener("click",function(){var o=s.classList.toggle("open");b.setAttribute("aria-expanded",o?"true":"false")})}
d.addEventListener("submit",function(e){var t=e.submitter;if(t)setTimeout(function(){t.disabled=true},0)})})();`;
