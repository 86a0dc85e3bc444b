import { defineMessages } from '../../lib/i18n.ts';

/** Strings of the campus map. */
export const mapMessages = defineMessages(
  {
    mapLabel: '校园地图',
    patient: '患者位置',
    you: '你的位置',
    aed: 'AED',
    aedClosed: 'AED（现在不可用）',
    responder: '志愿者 {label}',
    attribution: '© OpenStreetMap 贡献者',
    loading: '地图加载中…',
    failed: '地图无法加载；下方的文字说明仍然有效。',
    direction: '方向（直线，不是路线）',
    route: '步行路线',
    zoomIn: '放大',
    zoomOut: '缩小',
  },
  {
    mapLabel: 'Campus map',
    patient: 'Patient',
    you: 'You',
    aed: 'AED',
    aedClosed: 'AED (not usable now)',
    responder: 'Volunteer {label}',
    attribution: '© OpenStreetMap contributors',
    loading: 'Loading the map…',
    failed: 'The map cannot load; the written directions below still hold.',
    direction: 'Direction (straight line, not a route)',
    route: 'Walking route',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
  },
);
