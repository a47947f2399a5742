/**
 * The referral network as a picture (sigma.js on WebGL, graph in graphology):
 * generations coloured, node size by spend, drag to pan, scroll to zoom, click
 * to open. The page exposes what it drew (data-nodes, data-edges, the time to
 * first draw) for the tests and the benchmark.
 */
import Graph from 'graphology';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type Sigma from 'sigma';
import type { GraphData } from '../../../preload/contract';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { genColour, GEN_COLOURS, nodeSize, radialLayout } from './layout';

declare global {
  interface Window {
    /** What the network picture drew last: for tests and the benchmark. */
    __vdNetwork?: { nodes: number; edges: number; firstDrawMs: number; sigma: Sigma | null };
  }
}

/** The picture's smallest height, and the gap kept below it, in px. */
const MIN_HEIGHT = 220;
const BELOW = 16;

/** People invited (a welcome voucher) who have not come yet. */
const INVITED = '#9aa4ad';
const EDGE_COLOURS = { referred: '#8a949e', shared: '#d4a017', invited: '#c5ccd3' } as const;

export function NetworkView({ onOpen }: { onOpen(id: string): void }) {
  const { api } = useApp();
  const { t } = useTranslation('crm');
  const box = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma | null>(null);
  const [data, setData] = useState<GraphData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [drawn, setDrawn] = useState(0);
  const started = useRef(0);
  const openRef = useRef(onOpen);
  openRef.current = onOpen;

  const load = useCallback(async () => {
    started.current = performance.now();
    try {
      setData(await api.call('crm.graph', {}));
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [api, t]);
  useEffect(() => void load(), [load]);
  useEffect(() => api.on('crm.changed', () => void load()), [api, load]);

  // The picture ends at the bottom of the window, whatever the bars above it take (they wrap on a narrow screen).
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const fit = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      el.style.height = `${Math.max(MIN_HEIGHT, Math.floor(window.innerHeight - top - BELOW))}px`;
    };
    fit();
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, [data]);

  // The graph drawn: what the page counts is what it draws (two ties between the same two people are one line).
  const graph = useMemo(() => {
    if (!data) return null;
    const g = new Graph({ multi: false, type: 'directed' });
    const pos = radialLayout(data);
    for (const n of data.nodes) {
      const p = pos.get(n.id)!;
      g.addNode(n.id, { x: p.x, y: p.y, size: nodeSize(n.spend), color: n.member ? genColour(n.gen) : INVITED, label: n.label, gen: n.gen });
    }
    for (const e of data.edges) {
      if (!g.hasNode(e.source) || !g.hasNode(e.target) || g.hasEdge(e.source, e.target)) continue;
      g.addEdge(e.source, e.target, { color: EDGE_COLOURS[e.kind], size: e.kind === 'invited' ? 1 : 2 });
    }
    return g;
  }, [data]);

  useEffect(() => {
    if (!data || !graph || !box.current) return;
    let cancelled = false;
    const g = graph;
    void import('sigma')
      .then(({ default: SigmaCtor }) => {
        if (cancelled || !box.current) return;
        if (sigma.current) {
          sigma.current.kill();
          sigma.current = null;
        }
        const s = new SigmaCtor(g, box.current, { renderEdgeLabels: false, labelRenderedSizeThreshold: data.nodes.length > 300 ? 9 : 0, defaultEdgeType: data.nodes.length > 1000 ? 'line' : 'arrow', zIndex: true, hideEdgesOnMove: data.nodes.length > 1000, hideLabelsOnMove: true });
        sigma.current = s;
        s.on('clickNode', ({ node }) => openRef.current(node));
        // Sigma draws in its constructor; the frame after it is when the picture is on screen.
        requestAnimationFrame(() => {
          if (cancelled) return;
          const ms = performance.now() - started.current;
          window.__vdNetwork = { nodes: g.order, edges: g.size, firstDrawMs: ms, sigma: s };
          setDrawn((x) => x + 1);
        });
      })
      .catch(() => setError(t('network.noWebgl')));
    return () => {
      cancelled = true;
    };
  }, [data, graph, t]);

  useEffect(
    () => () => {
      sigma.current?.kill();
      sigma.current = null;
    },
    [],
  );

  return (
    <section
      className="panel crm-network"
      data-testid="crm-network"
      data-nodes={data?.nodes.length ?? -1}
      data-edges={data?.edges.length ?? -1}
      data-referred={data?.edges.filter((e) => e.kind === 'referred').length ?? -1}
      data-links={graph?.size ?? -1}
      data-drawn={drawn}
    >
      <h2 className="panel__title">{t('network.title')}</h2>
      <p className="muted">
        {graph ? (
          <span data-testid="crm-network-counts">
            {t('network.people', { count: graph.order })} · {t('network.links', { count: graph.size })}
          </span>
        ) : (
          '…'
        )}{' '}
        · {t('network.legend')}
      </p>
      <p className="crm-legend">
        {GEN_COLOURS.slice(0, 5).map((c, i) => (
          <span key={c} className="crm-legend__item">
            <span className="crm-legend__dot" style={{ background: c }} /> {t('network.gen', { gen: i })}
          </span>
        ))}
        <span className="crm-legend__item">
          <span className="crm-legend__dot" style={{ background: INVITED }} /> {t('network.invited')}
        </span>
      </p>
      {error ? <p className="form-error">{error}</p> : null}
      {data && data.nodes.length === 0 ? <p className="muted">{t('network.empty')}</p> : null}
      <div ref={box} className="crm-network__canvas" data-testid="crm-network-canvas" />
    </section>
  );
}
