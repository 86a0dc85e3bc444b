import { defineMessages } from '../lib/i18n.ts';

/** Strings of the app shell (home, loading, not found). */
export const appMessages = defineMessages(
  {
    title: '校园 AED 急救网络',
    docTitle: '校园AED急救',
    intro: '遇到有人倒地：扫描墙上的急救二维码，一键求救。',
    responder: '急救志愿者',
    admin: '管理后台',
    api: 'API 文档',
    loading: '加载中…',
    notFound: '页面不存在。',
    home: '返回首页',
  },
  {
    title: 'Campus AED responder network',
    docTitle: 'Campus AED',
    intro: 'Someone collapsed? Scan the first-aid QR code on the wall and send an SOS with one tap.',
    responder: 'First-aid volunteers',
    admin: 'Campus admin',
    api: 'API docs',
    loading: 'Loading…',
    notFound: 'Page not found.',
    home: 'Home',
  },
);
