/**
 * The pages' one stylesheet, inlined (no extra request; ~3 KB gzip). Logical
 * properties (inline-start/end) so the same rules lay out Arabic right to
 * left. Colours: the accent comes from the tenant (CSS variables set per
 * page), greys are chosen for ≥ 4.5:1 contrast on white.
 */
export const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,sans-serif;color:#1f2328;background:#f5f6f8}
a{color:var(--at)}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid var(--at);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;inset-inline-start:.5rem;top:-5rem;background:#fff;padding:.5rem 1rem;z-index:2}
.skip:focus{top:.5rem}
header.top{background:#fff;border-bottom:1px solid #e3e6ea}
.bar{max-width:46rem;margin:0 auto;padding:.75rem 1rem;display:flex;align-items:center;gap:.75rem;flex-wrap:wrap}
.brand{display:flex;align-items:center;gap:.6rem;text-decoration:none;color:inherit;font-weight:700;font-size:1.15rem;margin-inline-end:auto}
.brand img{max-height:48px;max-width:140px;width:auto;height:auto}
.mono{display:inline-grid;place-items:center;width:2.5rem;height:2.5rem;border-radius:50%;background:var(--a);color:var(--on-a);font-weight:700}
.langs{display:flex;gap:.25rem;list-style:none;margin:0;padding:0}
.langs a{display:block;padding:.3rem .6rem;border-radius:999px;text-decoration:none;font-size:.9rem;color:#3d444d}
.langs a[aria-current]{background:var(--a);color:var(--on-a)}
main{max-width:46rem;margin:0 auto;padding:1rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.25;margin:.75rem 0 1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .6rem;color:#3d444d}
.steps{display:flex;gap:.35rem;list-style:none;padding:0;margin:0 0 .25rem;font-size:.85rem;color:#57606a;flex-wrap:wrap}
.steps li{display:flex;align-items:center;gap:.35rem}
.steps li+li::before{content:"›";color:#8c959f}
[dir=rtl] .steps li+li::before{content:"‹"}
.steps [aria-current]{color:#1f2328;font-weight:600}
.card{background:#fff;border:1px solid #e3e6ea;border-radius:12px;padding:1rem;margin:0 0 .75rem}
.list{list-style:none;margin:0;padding:0;display:grid;gap:.6rem}
.item{display:flex;align-items:center;gap:1rem;background:#fff;border:1px solid #e3e6ea;border-radius:12px;padding:.9rem 1rem;text-decoration:none;color:inherit;min-height:3.25rem}
.item:hover{border-color:var(--at)}
.item .main{flex:1;min-width:0}
.item strong{display:block}
.meta{color:#57606a;font-size:.9rem}
.price{font-weight:700;white-space:nowrap}
.chev{color:#8c959f}
[dir=rtl] .chev{transform:scaleX(-1)}
.summary{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
.summary dt{color:#57606a}
.summary dd{margin:0;font-weight:600}
.dates{display:flex;gap:.5rem;overflow-x:auto;padding:.25rem .1rem .6rem;margin:0;list-style:none;scroll-snap-type:x proximity}
.dates li{scroll-snap-align:start}
.day{position:relative;display:flex;flex-direction:column;align-items:center;min-width:4.1rem;padding:.45rem .3rem;border-radius:10px;border:1px solid #d0d7de;background:#fff;text-decoration:none;color:#57606a;font-size:.8rem;line-height:1.3}
.day b{font-size:1.2rem;color:#1f2328}
a.day.open{border-color:var(--at);color:var(--at);background:color-mix(in srgb,var(--a) 8%,#fff)}
a.day[aria-current]{background:var(--a);color:var(--on-a);border-color:var(--a)}
a.day[aria-current] b{color:var(--on-a)}
span.day{background:#f0f1f3;border-style:dashed}
.pager{display:flex;justify-content:space-between;gap:1rem;font-size:.9rem;margin:.25rem 0 1rem}
.times{display:grid;grid-template-columns:repeat(auto-fill,minmax(5.5rem,1fr));gap:.5rem;list-style:none;padding:0;margin:0 0 1rem}
.time,.btn{display:inline-flex;align-items:center;justify-content:center;gap:.3rem;min-height:2.75rem;padding:.5rem .9rem;border-radius:10px;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.time{width:100%;border:1px solid var(--at);background:#fff;color:var(--at);flex-wrap:wrap}
.time:hover{background:var(--a);color:var(--on-a)}
.time small{font-weight:400;font-size:.75rem}
.btn{border:1px solid var(--a);background:var(--a);color:var(--on-a)}
.btn.ghost{background:#fff;color:var(--at);border-color:var(--at)}
.btn.danger{background:#b42318;border-color:#b42318;color:#fff}
.btn[disabled]{opacity:.6;cursor:progress}
.actions{display:flex;gap:.6rem;flex-wrap:wrap;margin-top:1rem}
.field{margin:0 0 1rem}
.field label{display:block;font-weight:600;margin-bottom:.25rem}
.field input,.field textarea{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid #8c959f;border-radius:8px;background:#fff;color:inherit}
.field textarea{min-height:5rem}
.field [aria-invalid=true]{border-color:#b42318;border-width:2px}
.hint{display:block;color:#57606a;font-size:.85rem;margin-top:.2rem}
.err{display:block;color:#b42318;font-size:.9rem;margin-top:.25rem;font-weight:600}
.req{color:#57606a;font-weight:400;font-size:.85rem}
.alert{border-radius:10px;padding:.8rem 1rem;margin:0 0 1rem;border:1px solid}
.alert.bad{background:#fef3f2;border-color:#fda29b;color:#7a271a}
.alert.ok{background:#ecfdf3;border-color:#6ce9a6;color:#05603a}
.alert.info{background:#f0f5ff;border-color:#b2ccff;color:#1d3a8a}
.note{color:#57606a;font-size:.9rem}
.block{display:block}
.errs{margin:.25rem 0 0;padding-inline-start:1.2rem}
button.slot{width:100%;font:inherit;cursor:pointer;text-align:start}
.flush{margin-top:0}
.badge{display:inline-block;padding:.1rem .55rem;border-radius:999px;font-size:.85rem;font-weight:600;background:#eef1f4;color:#3d444d}
.badge.confirmed,.badge.pending{background:#ecfdf3;color:#05603a}
.badge.cancelled{background:#fef3f2;color:#b42318}
.link{word-break:break-all;font-size:.9rem}
footer{max-width:46rem;margin:0 auto;padding:0 1rem 2rem;color:#57606a;font-size:.85rem;text-align:center}
fieldset{border:0;padding:0;margin:0}
legend{font-weight:700;font-size:1.1rem;margin-bottom:.5rem;padding:0}
.big{font-size:1.1rem}
@media (max-width:420px){h1{font-size:1.3rem}.item{padding:.8rem}.summary{grid-template-columns:1fr}.summary dd{margin-bottom:.4rem}}
`.replace(/\n/g, "");

/**
 * Progressive enhancement, inline: notes the customer's own zone next to each
 * time when it differs from the business's, and greys out a submit button
 * once pressed (double bookings are already prevented by the idempotency key).
 */
export const SCRIPT = `(function(){var d=document,b=d.body,z;try{z=Intl.DateTimeFormat().resolvedOptions().timeZone}catch(e){}
if(z&&b.dataset.tz&&z!==b.dataset.tz){var n=d.getElementById("tz");if(n){n.textContent=n.dataset.msg.replace("{z}",z);n.hidden=false}
var f=new Intl.DateTimeFormat(b.dataset.locale,{hour:"2-digit",minute:"2-digit",hourCycle:"h23",timeZone:z});
d.querySelectorAll("[data-ms]").forEach(function(e){var s=d.createElement("small");s.textContent="("+f.format(+e.dataset.ms)+")";e.appendChild(s)})}
d.addEventListener("submit",function(e){var s=e.submitter;if(s)setTimeout(function(){s.disabled=true},0)})})();`;
