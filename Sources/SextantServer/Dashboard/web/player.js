// A session replay player for rrweb events: rebuilds the page in a sandboxed iframe (no scripts),
// then applies incremental snapshots on a timeline with play, pause, seek, speed and skip-inactivity.
import { applyInput, applyMutation, applyScroll, rebuild } from './snapshot.js';
import { h } from './ui.js';

const FULL_SNAPSHOT = 2, INCREMENTAL = 3, META = 4;
const MUTATION = 0, MOUSE_MOVE = 1, INTERACTION = 2, SCROLL = 3, VIEWPORT = 4, INPUT = 5, TOUCH_MOVE = 6, DRAG = 12;
const CLICK = 2;
/// Gaps longer than this between user interactions are skipped when skip-inactivity is on.
const INACTIVE_MS = 10_000;

function isInteraction(event) {
  return event.type === INCREMENTAL && event.data && event.data.source >= MOUSE_MOVE && event.data.source <= INPUT;
}

export class Replayer {
  constructor(container, { onTime } = {}) {
    this.events = [];
    this.position = 0;       // ms since the first event
    this.index = 0;          // next event to apply
    this.speed = 1;
    this.skipInactive = true;
    this.playing = false;
    this.mirror = null;
    this.viewport = { width: 1280, height: 720 };
    this.onTime = onTime || (() => {});
    // Inert: the replayed page's buttons and inputs take neither the viewer's clicks nor keyboard focus.
    this.iframe = h('iframe', { sandbox: 'allow-same-origin', title: 'Session replay', scrolling: 'no', tabindex: '-1', inert: true });
    this.cursor = h('div', { class: 'cursor', hidden: true });
    this.stage = h('div', { class: 'stage' }, this.iframe, this.cursor);
    this.playButton = h('button', { type: 'button', onclick: () => (this.playing ? this.pause() : this.play()) }, 'Play');
    this.slider = h('input', { type: 'range', min: 0, max: 0, value: 0, step: 10, 'aria-label': 'Position' });
    this.slider.addEventListener('input', () => this.seek(Number(this.slider.value)));
    this.clock = h('span', { class: 'muted' }, '0:00 / 0:00');
    const speed = h('select', { 'aria-label': 'Speed' }, [1, 2, 4, 8].map((value) => h('option', { value }, `${value}×`)));
    speed.addEventListener('change', () => { this.speed = Number(speed.value); });
    const skip = h('input', { type: 'checkbox', checked: true });
    skip.addEventListener('change', () => { this.skipInactive = skip.checked; });
    // Fit scales the recorded viewport to the stage; 100 % shows it as recorded, scrolling within the stage.
    this.zoom = 'fit';
    const zoom = h('select', { 'aria-label': 'Zoom' }, [['fit', 'Fit'], ['1', '100 %']].map(([value, label]) => h('option', { value }, label)));
    zoom.addEventListener('change', () => { this.zoom = zoom.value; this.fit(); });
    // Ticks on the seek bar: errors, clicks and page changes; each one seeks there.
    this.markers = h('div', { class: 'markers', 'aria-hidden': 'true' });
    this.extraMarkers = [];
    this.element = h('div', { class: 'player' }, this.stage,
      h('div', { class: 'controls' }, this.playButton, h('div', { class: 'seekbar' }, this.slider, this.markers), this.clock, speed, zoom,
        h('label', {}, skip, ' Skip inactivity')));
    container.append(this.element);
    this.resizeObserver = new ResizeObserver(() => this.fit());
    this.resizeObserver.observe(this.stage);
  }

  get start() { return this.events.length ? this.events[0].timestamp : 0; }
  get duration() { return this.events.length ? this.events[this.events.length - 1].timestamp - this.start : 0; }

  /// Adds events (a chunk as it arrives); the first full snapshot renders the page.
  addEvents(list) {
    const hadSnapshot = this.events.some((event) => event.type === FULL_SNAPSHOT);
    const tagged = list.filter((event) => typeof event.type === 'number' && typeof event.timestamp === 'number');
    this.events = this.events.concat(tagged).map((event, order) => ({ event, order }))
      .sort((a, b) => a.event.timestamp - b.event.timestamp || a.order - b.order).map(({ event }) => event);
    this.slider.max = String(this.duration);
    if (!hadSnapshot && this.events.some((event) => event.type === FULL_SNAPSHOT)) this.seek(this.position);
    this.updateClock();
    this.drawMarkers();
  }

  /// Marks moments the recording itself does not know (the session's errors): `{ts, kind, label}`.
  setMarkers(list) {
    this.extraMarkers = list;
    this.drawMarkers();
  }

  drawMarkers() {
    const recorded = [];
    let pages = 0;
    for (const event of this.events) {
      if (event.type === META && pages++ > 0) recorded.push({ ts: event.timestamp, kind: 'navigation', label: `Page ${event.data?.href || ''}` });
      if (event.type === INCREMENTAL && event.data?.source === INTERACTION && event.data.type === CLICK) recorded.push({ ts: event.timestamp, kind: 'click', label: 'Click' });
    }
    const duration = this.duration;
    this.markers.replaceChildren(...(duration > 0 ? recorded.concat(this.extraMarkers) : [])
      .filter((marker) => marker.ts >= this.start && marker.ts <= this.start + duration)
      .map((marker) => h('span', {
        class: `marker ${marker.kind}`, title: marker.label, style: `left:${(100 * (marker.ts - this.start)) / duration}%`,
        onclick: () => this.seek(marker.ts - this.start),
      })));
  }

  play() {
    if (this.position >= this.duration) this.seek(0);
    this.playing = true;
    this.playButton.textContent = 'Pause';
    let last = performance.now();
    const frame = (now) => {
      if (!this.playing) return;
      let next = this.position + (now - last) * this.speed;
      last = now;
      if (this.skipInactive) next = this.skipGap(next);
      this.advanceTo(Math.min(next, this.duration));
      if (this.position >= this.duration) this.pause();
      else this.frameRequest = requestAnimationFrame(frame);
    };
    this.frameRequest = requestAnimationFrame(frame);
  }

  pause() {
    this.playing = false;
    cancelAnimationFrame(this.frameRequest);
    this.playButton.textContent = 'Play';
  }

  /// Jumps over a long quiet stretch: to a second before the next interaction.
  skipGap(next) {
    const upcoming = this.events.slice(this.index).find(isInteraction);
    if (!upcoming) return next;
    const gap = upcoming.timestamp - this.start - this.position;
    return gap > INACTIVE_MS ? Math.max(next, upcoming.timestamp - this.start - 1000) : next;
  }

  /// Moves to `position` ms: from the last full snapshot at or before it, applying everything up to it.
  seek(position) {
    this.position = Math.max(0, Math.min(position, this.duration));
    const target = this.start + this.position;
    let snapshot = -1;
    for (let i = 0; i < this.events.length && this.events[i].timestamp <= target; i++) {
      if (this.events[i].type === FULL_SNAPSHOT) snapshot = i;
    }
    if (snapshot < 0) snapshot = this.events.findIndex((event) => event.type === FULL_SNAPSHOT);
    if (snapshot < 0) return;
    // Rebuilt from the snapshot, the page has no cursor until a move before the target puts it back.
    this.cursor.hidden = true;
    this.cursorAt = null;
    this.cursor.classList.remove('click');
    // Viewport size comes from the Meta events before the snapshot.
    for (let i = 0; i <= snapshot; i++) if (this.events[i].type === META) this.applyMeta(this.events[i].data);
    this.index = snapshot;
    this.apply(this.events[this.index++], true);
    this.advanceTo(this.position, true);
  }

  advanceTo(position, synchronous = false) {
    this.position = position;
    const target = this.start + position;
    while (this.index < this.events.length && this.events[this.index].timestamp <= target) {
      this.apply(this.events[this.index++], synchronous);
    }
    this.slider.value = String(Math.round(position));
    this.updateClock();
    this.onTime(target);
  }

  apply(event, synchronous) {
    const data = event.data || {};
    const doc = this.iframe.contentDocument;
    if (event.type === FULL_SNAPSHOT) {
      this.mirror = rebuild(data.node, doc);
      const offset = data.initialOffset;
      if (offset) doc.defaultView?.scrollTo(offset.left || 0, offset.top || 0);
      return;
    }
    if (event.type === META) {
      this.applyMeta(data);
      return;
    }
    if (event.type !== INCREMENTAL || !this.mirror) return;
    switch (data.source) {
      case MUTATION: applyMutation(data, this.mirror, doc); break;
      case MOUSE_MOVE: case TOUCH_MOVE: case DRAG: {
        const last = (data.positions || [])[data.positions.length - 1];
        if (last) this.moveCursor(last.x, last.y, false);
        break;
      }
      case INTERACTION:
        if (typeof data.x === 'number') this.moveCursor(data.x, data.y, data.type === CLICK && !synchronous);
        break;
      case SCROLL: applyScroll(data, this.mirror, doc); break;
      case VIEWPORT: this.applyMeta(data); break;
      case INPUT: applyInput(data, this.mirror); break;
      default: break;  // style sheets, canvas, fonts, media: not drawn by this player
    }
  }

  applyMeta(data) {
    if (data && data.width && data.height) {
      this.viewport = { width: data.width, height: data.height };
      this.fit();
    }
  }

  /// Scales the recorded viewport to the stage's width, or shows it at its own size when zoomed to 100 %.
  fit() {
    const { width, height } = this.viewport;
    const available = this.stage.clientWidth || width;
    const actual = this.zoom === '1';
    this.scale = actual ? 1 : Math.min(1, available / width);
    this.stage.classList.toggle('actual-size', actual);
    this.iframe.style.width = `${width}px`;
    this.iframe.style.height = `${height}px`;
    this.iframe.style.transform = `scale(${this.scale})`;
    this.stage.style.height = `${Math.min(height * this.scale, actual ? window.innerHeight * 0.75 : Infinity)}px`;
    // The cursor lives in the stage's own coordinates: a change of scale moves it too.
    if (this.cursorAt) this.moveCursor(this.cursorAt.x, this.cursorAt.y, false);
  }

  moveCursor(x, y, clicked) {
    this.cursorAt = { x, y };
    this.cursor.hidden = false;
    this.cursor.style.left = `${x * (this.scale || 1)}px`;
    this.cursor.style.top = `${y * (this.scale || 1)}px`;
    if (clicked) {
      this.cursor.classList.remove('click');
      void this.cursor.offsetWidth;  // restart the animation
      this.cursor.classList.add('click');
    }
  }

  updateClock() {
    const format = (ms) => `${Math.floor(ms / 60000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
    this.clock.textContent = `${format(this.position)} / ${format(this.duration)}`;
  }

  destroy() {
    this.pause();
    this.resizeObserver.disconnect();
  }
}
