import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type DiffPalette, type RGB, contrastRatio, diffFill, luminance, mix, nodeFill, packageFill, parseColor, readableText } from '../../../webview/theme';

// Text on call-graph nodes and flame frames must reach WCAG AA (4.5:1) on every fill the views can
// paint, in the light, dark and both high-contrast themes: the palettes are heaplens' contributed
// colours (package.json) on VS Code's default editor and widget backgrounds, and the fills run over
// the extremes of diffFill, nodeFill, packageFill and the dimmed (search/zoom) variant.

const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
const colour = (id: string, theme: string): RGB => parseColor(pkg.contributes.colors.find((c: { id: string }) => c.id === id).defaults[theme])!;
const hex = (s: string) => parseColor(s)!;

// VS Code's default editor.background / editor.foreground / editorWidget.background per theme kind.
const THEMES: Record<string, { background: string; foreground: string; neutral: string; border?: string }> = {
  light: { background: '#ffffff', foreground: '#3b3b3b', neutral: '#f8f8f8' },
  dark: { background: '#1f1f1f', foreground: '#cccccc', neutral: '#202020' },
  highContrast: { background: '#000000', foreground: '#ffffff', neutral: '#0c141f', border: '#6fc3df' },
  highContrastLight: { background: '#ffffff', foreground: '#292929', neutral: '#ffffff', border: '#0f4a85' },
};

function paletteOf(theme: string): DiffPalette {
  const t = THEMES[theme];
  return {
    background: hex(t.background), foreground: hex(t.foreground), neutral: hex(t.neutral),
    growth: colour('heaplens.growthForeground', theme), shrink: colour('heaplens.shrinkForeground', theme), highlight: colour('heaplens.neutralForeground', theme),
    border: t.border ? hex(t.border) : undefined, highContrast: theme.startsWith('highContrast'),
  };
}

/** fills lists every kind of fill at its extremes and in small steps between. */
function fills(p: DiffPalette): RGB[] {
  const out: RGB[] = [p.neutral];
  const graph = (isDiff: boolean) => ({ isDiff });
  for (let k = 0; k <= 20; k++) {
    const share = k / 20;
    out.push(diffFill(p, share || 1e-9, 1), diffFill(p, -(share || 1e-9), 1));
    out.push(nodeFill(p, graph(false), share, 1), nodeFill(p, graph(true), share, 1), nodeFill(p, graph(true), -share, 1));
  }
  for (const name of ['main.a', 'bytes.b', 'net/http.c', 'runtime.d', 'x/y.e', 'sync.f', 'io.g', 'fmt.h']) out.push(packageFill(p, name));
  return [...out, ...out.map((f) => mix(f, p.background, 0.55))];
}

describe('label contrast on graph and flame fills', () => {
  for (const theme of Object.keys(THEMES)) {
    it(`${theme}: every fill's label reaches 4.5:1`, () => {
      const p = paletteOf(theme);
      let worst = Infinity;
      for (const f of fills(p)) {
        const ratio = contrastRatio(f, readableText(f));
        worst = Math.min(worst, ratio);
        assert.ok(ratio >= 4.5, `${theme}: fill rgb(${f.r.toFixed(0)},${f.g.toFixed(0)},${f.b.toFixed(0)}) gives ${ratio.toFixed(2)}:1`);
      }
      assert.ok(worst < 21);
    });
  }

  it('the text colour is the one with the better ratio, also where the old 0.4 luminance threshold chose white at ~3:1', () => {
    const mid: RGB = { r: 150, g: 150, b: 150 }; // luminance ≈ 0.30
    assert.ok(luminance(mid) > 0.18 && luminance(mid) < 0.4);
    assert.ok(contrastRatio(mid, { r: 255, g: 255, b: 255 }) < 4.5, 'white would fail here');
    assert.deepEqual(readableText(mid), { r: 0, g: 0, b: 0 });
    assert.ok(contrastRatio(mid, readableText(mid)) >= 4.5);
  });

  it('contrastRatio is WCAG\'s: black on white 21:1, equal colours 1:1, #767676 on white ≈ 4.54:1', () => {
    assert.equal(contrastRatio(hex('#000000'), hex('#ffffff')), 21);
    assert.equal(contrastRatio(hex('#123456'), hex('#123456')), 1);
    assert.ok(Math.abs(contrastRatio(hex('#767676'), hex('#ffffff')) - 4.54) < 0.01);
  });
});

describe('process memory bar colours', () => {
  // WCAG 1.4.11 (non-text contrast): each part of the stacked bar and its legend swatch is a
  // graphical object that must reach 3:1 against the page in every theme. Parts sit next to each
  // other with a 1px gap in the background colour, and the table beside the bar names every part.
  const PARTS = ['memoryHeapLive', 'memoryHeapFragmentation', 'memoryHeapIdle', 'memoryHeapReleased', 'memoryStacks', 'memoryRuntime'];
  for (const theme of Object.keys(THEMES)) {
    it(`${theme}: every part reaches 3:1 against the background, and no two parts share a colour`, () => {
      const bg = hex(THEMES[theme].background);
      const fills = PARTS.map((p) => colour(`heaplens.${p}`, theme));
      fills.forEach((f, i) => {
        const ratio = contrastRatio(f, bg);
        assert.ok(ratio >= 3, `${theme}: ${PARTS[i]} gives ${ratio.toFixed(2)}:1`);
      });
      const keys = new Set(fills.map((f) => `${f.r},${f.g},${f.b}`));
      assert.equal(keys.size, PARTS.length);
      // Neighbours in the bar differ in lightness or hue enough to be told apart (ΔE-free proxy: ≥ 1.2:1 or a different dominant channel).
      for (let i = 1; i < fills.length; i++) {
        const [a, b] = [fills[i - 1], fills[i]];
        const dominant = (c: RGB) => (c.r >= c.g && c.r >= c.b ? 'r' : c.g >= c.b ? 'g' : 'b');
        assert.ok(contrastRatio(a, b) >= 1.2 || dominant(a) !== dominant(b), `${theme}: ${PARTS[i - 1]} and ${PARTS[i]} look alike`);
      }
    });
  }
});
