import { defineMessages } from '../lib/i18n.ts';

/** Strings of the shared components. */
export const componentMessages = defineMessages(
  {
    call: '拨打 {number}',
    switchTo: 'English',
    switchLabel: 'Switch to English',
    errorTitle: '出错了',
    errorBody: '这一部分无法显示。请先拨打急救电话，然后重新加载页面。',
    reload: '重新加载',
  },
  {
    call: 'Call {number}',
    switchTo: '中文',
    switchLabel: '切换到中文',
    errorTitle: 'Something went wrong',
    errorBody: 'This part cannot be shown. Call the emergency number first, then reload the page.',
    reload: 'Reload',
  },
);
