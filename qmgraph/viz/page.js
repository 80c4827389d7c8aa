(function(){
"use strict";
const DATA = JSON.parse(document.getElementById("qmgraph-data").textContent);
const N = DATA.nodes, M = DATA.mirrors;
const KIND_COLOR = {jurisdiction:"#2471a3", agency:"#17a589", association:"#48c9b0",
  enterprise:"#a3e4d7", activity:"#5d6d7e", campaign:"#d68910", "quality-month":"#b9770e",
  series:"#873600", notice:"#7d3c98", sector:"#999"};
const KIND_ZH = {jurisdiction:"地区", agency:"机构", association:"协会", enterprise:"企业",
  activity:"活动", campaign:"专项活动", "quality-month":"质量月", series:"系列", notice:"通知"};
const EDGE_COLOR = {contains:"#7f8c8d", has_organization:"#c8d6e5", counterpart:"#85c1e9",
  sub_organization_of:"#85c1e9", organizer:"#d5dbdb", co_organizer:"#e5e8e8",
  in_series:"#e59866", ran_in:"#f5cba7", run_by:"#d5dbdb", joint_organizer:"#d7bde2",
  implements:"#a569bd"};
const GRADE_COLOR = {verbatim:"#c0392b", adapted:"#e67e22"};
const byId = new Map(N.map((n,i)=>[n.id,i]));
const canvas = document.getElementById("canvas");
const ctx = canvas.getContext("2d");
const $ = (id)=>document.getElementById(id);
const esc = (s)=>String(s==null?"":s).replace(/[&<>"']/g,c=>({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c]));
let view = null, V = null;           // current view name and its data
let px = null, py = null;            // Float64Array positions by node index (NaN = absent)
let visible = null;                  // Uint8Array by node index
let k = 1, tx = 0, ty = 0;           // world -> screen
let selNode = -1, selEdge = -1, hits = new Set();
let grid = new Map(); const CELL = 60;
let adj = null;                      // per node: list of edge indices of the view
let raf = 0;

function mirrorEdgeIndex(mi){ // index of a mirror's edge in the current view, or -1
  const E = V.edges; for (let i=0;i<E.length;i++){ if (E[i][2]==="mirrors" && E[i][3]===mi) return i; } return -1;
}

function setView(name){
  if (!DATA.views[name]) return;
  view = name; V = DATA.views[name];
  px = new Float64Array(N.length).fill(NaN); py = new Float64Array(N.length).fill(NaN);
  for (const [i,x,y] of V.nodes){ px[i]=x; py[i]=y; }
  adj = new Array(N.length);
  V.edges.forEach((e,ei)=>{ (adj[e[0]] ||= []).push(ei); (adj[e[1]] ||= []).push(ei); });
  grid = new Map();
  for (const [i,x,y] of V.nodes){ const key=Math.floor(x/CELL)+","+Math.floor(y/CELL); let c=grid.get(key); if(!c){c=[];grid.set(key,c);} c.push(i); }
  $("view").value = name;
  selEdge = -1; if (selNode>=0 && isNaN(px[selNode])) selNode=-1;
  applyFilters(); fit(); renderMirrorList(); legend();
}

function filterValues(){
  const f = {};
  for (const el of document.querySelectorAll("[data-filter]")) if (el.value) f[el.dataset.filter]=el.value;
  return f;
}
function passes(n, f){ // -1: lacks a filtered attribute, 0: fails, 1: passes all
  let lacks = false;
  for (const key in f){
    const want = f[key];
    if (key==="level"){ if (n.level===undefined) lacks=true; else if (n.level!==want) return 0; }
    else if (key==="year"){ if (n.year===undefined) lacks=true; else if (String(n.year)!==want) return 0; }
    else if (key==="sector"){ if (!n.sectors.length) lacks=true; else if (!n.sectors.includes(want)) return 0; }
    else if (key==="campaign"){ if (!n.campaigns.length) lacks=true; else if (!n.campaigns.includes(want)) return 0; }
  }
  return lacks ? -1 : 1;
}
function applyFilters(){
  const f = filterValues(); const any = Object.keys(f).length>0;
  visible = new Uint8Array(N.length);
  const status = new Int8Array(N.length);
  for (const [i] of V.nodes){ status[i] = any ? passes(N[i], f) : 1; if (status[i]===1) visible[i]=1; }
  if (any){ // nodes lacking a filtered attribute stay when a neighbour passes (context)
    for (const e of V.edges){
      if (status[e[0]]===1 && status[e[1]]===-1) visible[e[1]]=1;
      if (status[e[1]]===1 && status[e[0]]===-1) visible[e[0]]=1;
    }
  }
  let nv=0, ne=0; for (const [i] of V.nodes) nv+=visible[i];
  for (const e of V.edges) if (visible[e[0]]&&visible[e[1]]) ne++;
  $("stats").textContent = `${nv} 节点 nodes · ${ne} 连线 edges · ${M.length} mirrors`;
  draw();
}

function resize(){
  const r = canvas.getBoundingClientRect(), d = window.devicePixelRatio||1;
  canvas.width = Math.max(1, Math.round(r.width*d)); canvas.height = Math.max(1, Math.round(r.height*d));
  draw();
}
function bounds(idx){
  let x0=Infinity,y0=Infinity,x1=-Infinity,y1=-Infinity;
  for (const i of idx){ if (isNaN(px[i])) continue; x0=Math.min(x0,px[i]);y0=Math.min(y0,py[i]);x1=Math.max(x1,px[i]);y1=Math.max(y1,py[i]); }
  return [x0,y0,x1,y1];
}
function fitTo(b, maxK){
  const r = canvas.getBoundingClientRect(); if (!isFinite(b[0])) return;
  const w=Math.max(b[2]-b[0],1), h=Math.max(b[3]-b[1],1), pad=60;
  k = Math.min((r.width-2*pad)/w, (r.height-2*pad)/h, maxK||2.5); if (!(k>0)) k=1;
  tx = r.width/2 - k*(b[0]+b[2])/2; ty = r.height/2 - k*(b[1]+b[3])/2; draw();
}
function fit(){ fitTo(bounds(V.nodes.map(n=>n[0]))); }

function nodeRadius(i){ const kd=N[i].kind; return kd==="jurisdiction"?7:(kd==="activity"?4.5:(kd==="campaign"||kd==="quality-month"||kd==="series")?6:5); }

function draw(){ if (!raf) raf = requestAnimationFrame(render); }
function render(){
  raf = 0;
  const d = window.devicePixelRatio||1, W = canvas.width/d, H = canvas.height/d;
  ctx.setTransform(d,0,0,d,0,0); ctx.clearRect(0,0,W,H);
  if (!V) return;
  const sx = i=>px[i]*k+tx, sy = i=>py[i]*k+ty;
  const inView = (x,y)=> x>-50 && y>-50 && x<W+50 && y<H+50;
  // edges: plain first, mirrors on top
  ctx.lineWidth = 1;
  for (let pass=0; pass<2; pass++){
    for (let ei=0; ei<V.edges.length; ei++){
      const e = V.edges[ei], a=e[0], b=e[1];
      const isM = e[2]==="mirrors"; if ((pass===1)!==isM) continue;
      if (!visible[a]||!visible[b]) continue;
      const x1=sx(a),y1=sy(a),x2=sx(b),y2=sy(b);
      if ((x1<0&&x2<0)||(y1<0&&y2<0)||(x1>W&&x2>W)||(y1>H&&y2>H)) continue;
      if (isM){ const m=M[e[3]]||{}; ctx.strokeStyle = GRADE_COLOR[m.grade]||"#c0392b"; ctx.lineWidth = (ei===selEdge?3:1)+2*(m.score||0.5); ctx.globalAlpha = ei===selEdge?1:0.75; }
      else { ctx.strokeStyle = EDGE_COLOR[e[2]]||"#ccc"; ctx.lineWidth = ei===selEdge?3:1; ctx.globalAlpha = 0.8; }
      if (selNode>=0 && (a===selNode||b===selNode)) { ctx.globalAlpha = 1; ctx.lineWidth += 1; }
      ctx.beginPath(); ctx.moveTo(x1,y1); ctx.lineTo(x2,y2); ctx.stroke();
    }
  }
  ctx.globalAlpha = 1;
  const se = selEdge>=0 ? V.edges[selEdge] : null;
  if (se){ // the selected edge again, on top, with a dark halo
    ctx.strokeStyle="#1b2631"; ctx.lineWidth=6; ctx.globalAlpha=0.35; ctx.beginPath(); ctx.moveTo(sx(se[0]),sy(se[0])); ctx.lineTo(sx(se[1]),sy(se[1])); ctx.stroke(); ctx.globalAlpha=1;
  }
  const showLabels = k>=0.55;
  ctx.font = "12px " + getComputedStyle(document.body).fontFamily; ctx.textBaseline = "middle";
  for (const [i] of V.nodes){
    if (!visible[i]) continue;
    const x=sx(i), y=sy(i); if (!inView(x,y)) continue;
    const r = nodeRadius(i)*Math.max(0.6,Math.min(1.4,k));
    ctx.fillStyle = KIND_COLOR[N[i].kind]||"#777";
    ctx.beginPath(); ctx.arc(x,y,r,0,6.2832); ctx.fill();
    if (i===selNode || hits.has(i)){ ctx.strokeStyle = i===selNode?"#e74c3c":"#f1c40f"; ctx.lineWidth=3; ctx.beginPath(); ctx.arc(x,y,r+4,0,6.2832); ctx.stroke(); }
    const onSel = se && (se[0]===i || se[1]===i);
    if (showLabels || i===selNode || onSel || (hits.size<=40 && hits.has(i))){
      ctx.fillStyle = "#222"; ctx.fillText(N[i].label.length>26?N[i].label.slice(0,25)+"…":N[i].label, x+r+3, y);
    }
  }
}

// --- interaction ---------------------------------------------------------------------
function toWorld(cx,cy){ return [(cx-tx)/k, (cy-ty)/k]; }
function nodeAt(cx,cy){
  const [wx,wy] = toWorld(cx,cy); const gx=Math.floor(wx/CELL), gy=Math.floor(wy/CELL);
  let best=-1, bd=Infinity; const tol = 8/k + 6;
  for (let dx=-1;dx<=1;dx++) for (let dy=-1;dy<=1;dy++){
    const c = grid.get((gx+dx)+","+(gy+dy)); if (!c) continue;
    for (const i of c){ if (!visible[i]) continue; const d=Math.hypot(px[i]-wx,py[i]-wy); if (d<bd && d<=tol){bd=d;best=i;} }
  }
  return best;
}
function segDist(x,y,x1,y1,x2,y2){
  const dx=x2-x1, dy=y2-y1, L=dx*dx+dy*dy; let t = L? ((x-x1)*dx+(y-y1)*dy)/L : 0; t=Math.max(0,Math.min(1,t));
  return Math.hypot(x-(x1+t*dx), y-(y1+t*dy));
}
function edgeAt(cx,cy){ // screen-space distance; mirrors win ties
  let best=-1, bd=Infinity;
  for (let ei=0; ei<V.edges.length; ei++){
    const e=V.edges[ei]; if (!visible[e[0]]||!visible[e[1]]) continue;
    const d = segDist(cx,cy, px[e[0]]*k+tx, py[e[0]]*k+ty, px[e[1]]*k+tx, py[e[1]]*k+ty) - (e[2]==="mirrors"?2.5:0);
    if (d<bd){bd=d;best=ei;}
  }
  return bd<=6 ? best : -1;
}
let drag=null;
canvas.addEventListener("mousedown", ev=>{ drag={x:ev.clientX,y:ev.clientY,tx,ty,moved:false}; canvas.classList.add("dragging"); });
window.addEventListener("mousemove", ev=>{ if(!drag) return; const dx=ev.clientX-drag.x, dy=ev.clientY-drag.y; if (Math.abs(dx)+Math.abs(dy)>3) drag.moved=true; tx=drag.tx+dx; ty=drag.ty+dy; if (drag.moved) draw(); });
window.addEventListener("mouseup", ev=>{
  if (!drag) return; const moved = drag.moved; drag=null; canvas.classList.remove("dragging");
  if (moved || ev.target!==canvas) return;
  const r = canvas.getBoundingClientRect(), cx=ev.clientX-r.left, cy=ev.clientY-r.top;
  const n = nodeAt(cx,cy); if (n>=0) { selectNodeIdx(n,false); return; }
  const e = edgeAt(cx,cy); if (e>=0) { selectEdgeIdx(e); return; }
});
canvas.addEventListener("wheel", ev=>{
  ev.preventDefault(); const r=canvas.getBoundingClientRect(), cx=ev.clientX-r.left, cy=ev.clientY-r.top;
  const f = Math.exp(-ev.deltaY*0.0015); const nk=Math.max(0.01,Math.min(20,k*f));
  tx = cx-(cx-tx)*nk/k; ty = cy-(cy-ty)*nk/k; k=nk; draw();
},{passive:false});
window.addEventListener("resize", resize);

// --- panel ------------------------------------------------------------------------------
function badge(kind){ return `<span class="badge" style="background:${KIND_COLOR[kind]||"#777"}">${esc(KIND_ZH[kind]||kind)}</span>`; }
function nodeLink(i){ return `<button class="link" data-node="${esc(N[i].id)}">${badge(N[i].kind)}${esc(N[i].label)}</button>`; }
const DETAIL_ZH = {kind:"类型",level_zh:"层级",year:"年份",jurisdiction:"地区",sector:"领域",division_code:"区划代码",
  alt_labels:"别名",campaigns:"专项活动",series:"系列",organizers:"组织单位",co_organizers:"协办单位",notice_label:"通知",
  doc_number:"文号",source_file:"来源文件",block_label:"段落",source_start:"起",source_end:"止",theme:"主题"};

function centerOn(i, minK){
  const r = canvas.getBoundingClientRect(); if (minK && k<minK) k=minK;
  tx = r.width/2 - px[i]*k; ty = r.height/2 - py[i]*k; draw();
}
function selectNodeIdx(i, center){
  selNode=i; selEdge=-1; if (center && !isNaN(px[i])) centerOn(i, 0.8);
  const n=N[i]; let h = `<h3 data-node-id="${esc(n.id)}">${badge(n.kind)}${esc(n.label)}</h3><table class="kv">`;
  for (const key in n.details){ h += `<tr><td>${esc(DETAIL_ZH[key]||key)}</td><td>${esc(key==="kind"?(KIND_ZH[n.kind]||n.kind):n.details[key])}</td></tr>`; }
  h += `<tr><td>IRI</td><td style="word-break:break-all">${esc(n.id)}</td></tr></table>`;
  if (n.text) h += `<h4>原文 text</h4><div class="text">${esc(n.text)}</div>`;
  const groups = {};
  for (const ei of (adj[i]||[])){ const e=V.edges[ei]; const other=e[0]===i?e[1]:e[0]; const dir=e[0]===i?"→":"←"; (groups[dir+" "+e[2]] ||= []).push([ei,other]); }
  for (const g of Object.keys(groups).sort()){
    h += `<h4>${esc(g)} (${groups[g].length})</h4><ul>`;
    for (const [ei,o] of groups[g].slice(0,200)){
      const e=V.edges[ei];
      h += `<li>${nodeLink(o)}${e[2]==="mirrors"?` <button class="link" data-edge="${esc((M[e[3]]||{}).id)}">对照 compare</button>`:""}</li>`;
    }
    h += "</ul>";
  }
  $("details").innerHTML = h; $("results").innerHTML = ""; draw();
}
function marked(text, spans){
  if (!spans || !spans.length) return esc(text);
  const sorted = spans.slice().sort((a,b)=>a[0]-b[0]); let out="", pos=0;
  for (const [a,b] of sorted){ if (a<pos) continue; out += esc(text.slice(pos,a)) + "<mark>" + esc(text.slice(a,b)) + "</mark>"; pos=b; }
  return out + esc(text.slice(pos));
}
function side(role, i, spans){
  const n=N[i]; const nt = DATA.notices[n.notice]||{};
  return `<div data-role="${role}"><h4>${role==="source"?"本级 lower":"上级 higher"}：${nodeLink(i)}</h4>
  <table class="kv"><tr><td>通知</td><td>${esc(nt.label||"")}</td></tr>
  <tr><td>文号</td><td>${esc(nt.doc_number||"")}</td></tr><tr><td>来源文件</td><td>${esc(nt.source_file||"")}</td></tr>
  <tr><td>地区</td><td>${esc(n.details.jurisdiction||"")}</td></tr><tr><td>组织单位</td><td>${esc(n.details.organizers||"")}</td></tr></table>
  <div class="text mirror-text" data-role="${role}">${marked(n.text||"", spans)}</div></div>`;
}
function showMirror(mi){
  const m=M[mi];
  $("details").innerHTML = `<h3 data-edge-id="${esc(m.id)}">沿袭 mirrors <span class="badge" style="background:${GRADE_COLOR[m.grade]||"#999"}">${esc(m.grade||"?")}</span> score ${m.score==null?"?":Number(m.score).toFixed(2)}</h3>
   <table class="kv"><tr><td>方法 method</td><td>${esc(m.method)}</td></tr><tr><td>证据 evidence</td><td>${esc(m.evidence)}</td></tr>
   <tr><td>link</td><td style="word-break:break-all">${esc(m.link)}</td></tr></table>
   <div class="pair">${side("source", m.s, m.sourceSpans)}${side("target", m.t, m.targetSpans)}</div>`;
  $("results").innerHTML = "";
}
function selectEdgeIdx(ei){
  selEdge=ei; selNode=-1; const e=V.edges[ei];
  if (e[2]==="mirrors" && e[3]>=0) showMirror(e[3]);
  else $("details").innerHTML = `<h3>${esc(e[2])}</h3><p>${nodeLink(e[0])} → ${nodeLink(e[1])}</p>`;
  draw();
}
function selectEdgeById(id){
  const mi = M.findIndex(m=>m.id===id||m.link===id); if (mi<0) return false;
  if (view!=="lineage" && mirrorEdgeIndex(mi)<0) setView("lineage");
  const ei = mirrorEdgeIndex(mi); if (ei>=0) selectEdgeIdx(ei); else { showMirror(mi); }
  return true;
}
$("panel").addEventListener("click", ev=>{
  const t = ev.target.closest("[data-node],[data-edge]"); if (!t) return;
  if (t.dataset.node){ const i=byId.get(t.dataset.node); if (i!==undefined){ if (isNaN(px[i])) setView(viewOf(i)); selectNodeIdx(i,true);} }
  else if (t.dataset.edge){ focusEdge(t.dataset.edge); selectEdgeById(t.dataset.edge); }
});
function viewOf(i){ for (const v of ["lineage","hierarchy","campaigns"]) if (DATA.views[v].nodes.some(n=>n[0]===i)) return v; return view; }

function search(q){
  q = (q||"").trim().toLowerCase(); hits = new Set();
  if (!q){ $("results").innerHTML=""; draw(); return []; }
  const found = [];
  for (const [i] of V.nodes){ const n=N[i]; if (n.label.toLowerCase().includes(q) || (n.alt_labels||"").toLowerCase().includes(q)) found.push(i); }
  found.sort((a,b)=> (N[a].label.toLowerCase()===q?0:1)-(N[b].label.toLowerCase()===q?0:1) || N[a].label.length-N[b].label.length || a-b);
  for (const i of found) hits.add(i);
  $("results").innerHTML = `<h4>${found.length} 个结果 results</h4>` + found.slice(0,60).map(i=>`<button class="hit" data-node="${esc(N[i].id)}">${badge(N[i].kind)}${esc(N[i].label)}</button>`).join("");
  if (found.length) fitTo(bounds(found.slice(0,60)), 1.2);
  draw(); return found.map(i=>N[i].id);
}
let st=0; $("search").addEventListener("input", ev=>{ clearTimeout(st); st=setTimeout(()=>search(ev.target.value),120); });
$("search").addEventListener("keydown", ev=>{ if (ev.key==="Enter"){ const r=search(ev.target.value); if (r.length) selectNodeIdx(byId.get(r[0]),true);} });

function renderMirrorList(){
  const items = [];
  for (let ei=0; ei<V.edges.length; ei++){ const e=V.edges[ei]; if (e[2]!=="mirrors"||e[3]<0) continue; const m=M[e[3]];
    items.push(`<li data-edge-id="${esc(m.id)}" data-link="${esc(m.link)}"><button class="link" data-edge="${esc(m.id)}">${esc(N[m.s].label)} → ${esc(N[m.t].label)}</button> <small>${esc(m.grade)} ${m.score==null?"":Number(m.score).toFixed(2)}</small></li>`); }
  $("mirror-list").innerHTML = items.slice(0,500).join("") + (items.length>500?`<li>… ${items.length-500} more</li>`:"");
  $("mirror-list-box").style.display = items.length?"":"none";
}
function legend(){
  const kinds = new Set(V.nodes.map(n=>N[n[0]].kind));
  let h = [...kinds].sort().map(kd=>`<span style="color:${KIND_COLOR[kd]||"#777"}">● ${esc(KIND_ZH[kd]||kd)}</span>`).join("");
  if (view==="lineage") h += `<span style="color:${GRADE_COLOR.verbatim}">━ verbatim</span><span style="color:${GRADE_COLOR.adapted}">━ adapted</span>`;
  $("legend").innerHTML = h;
}
function focusEdge(id){
  const mi = M.findIndex(m=>m.id===id||m.link===id); if (mi<0) return false;
  if (view!=="lineage" && mirrorEdgeIndex(mi)<0) setView("lineage");
  for (const el of document.querySelectorAll("[data-filter]")) el.value="";
  applyFilters(); const m=M[mi]; fitTo(bounds([m.s,m.t]), 1.5); return true;
}
function screenPoint(x,y){ const r=canvas.getBoundingClientRect(); return {x:r.left+x*k+tx, y:r.top+y*k+ty}; }

// --- boot ----------------------------------------------------------------------------------
for (const v of Object.keys(DATA.views)){ const o=document.createElement("option"); o.value=v; o.textContent={lineage:"沿袭 lineage",hierarchy:"层级 hierarchy",campaigns:"活动 campaigns"}[v]||v; $("view").appendChild(o); }
$("view").addEventListener("change", ev=>setView(ev.target.value));
for (const [key, vals] of Object.entries(DATA.filters)){
  const sel = document.querySelector(`[data-filter="${key}"]`);
  for (const v of vals){ const o=document.createElement("option"); if (Array.isArray(v)){o.value=v[0];o.textContent=v[1];} else {o.value=String(v);o.textContent=String(v);} sel.appendChild(o); }
  sel.addEventListener("change", applyFilters);
}
$("fit").addEventListener("click", fit);
resize();
setView(DATA.initialView in DATA.views ? DATA.initialView : "lineage");

window.qmgraph = {
  data: DATA,
  setView, search, focusEdge,
  selectNode: id=>{ const i=byId.get(id); if (i===undefined) return false; if (isNaN(px[i])) setView(viewOf(i)); selectNodeIdx(i,true); return true; },
  selectEdge: selectEdgeById,
  setFilter: (name,value)=>{ const el=document.querySelector(`[data-filter="${name}"]`); if(!el) return false; el.value=value==null?"":String(value); applyFilters(); return true; },
  mirrorIds: ()=>M.map(m=>m.id),
  nodeScreenPoint: id=>{ const i=byId.get(id); return (i===undefined||isNaN(px[i]))?null:screenPoint(px[i],py[i]); },
  edgeScreenPoint: id=>{ // a point on the edge where a click selects it (no node on top)
    const mi=M.findIndex(m=>m.id===id||m.link===id); if (mi<0) return null; const m=M[mi];
    if (isNaN(px[m.s])||isNaN(px[m.t])) return null; const ei=mirrorEdgeIndex(mi);
    for (const t of [0.5,0.42,0.58,0.34,0.66,0.26,0.74,0.18,0.82]){
      const x=px[m.s]+t*(px[m.t]-px[m.s]), y=py[m.s]+t*(py[m.t]-py[m.s]), cx=x*k+tx, cy=y*k+ty;
      if (nodeAt(cx,cy)<0 && edgeAt(cx,cy)===ei) return screenPoint(x,y);
    }
    return screenPoint((px[m.s]+px[m.t])/2,(py[m.s]+py[m.t])/2); },
  view: ()=>view,
};
document.body.dataset.ready = "1";
})();
