import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem } from './api/client';
import { Console } from './app/Console';

dayjs.locale('zh-cn');

/**
 * Ant Design's defaults with the contrast WCAG AA asks for (4.5:1): a darker blue than #1677ff, so a
 * selected menu item on its light-blue background stays legible, and darker secondary text.
 */
const THEME = {
  token: {
    colorPrimary: '#0958d9',
    colorError: '#cf1322',
    colorLink: '#0958d9',
    colorInfo: '#0958d9',
    colorSuccess: '#237804',
    colorWarning: '#ad4e00',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextQuaternary: 'rgba(0, 0, 0, 0.56)',
    colorTextDisabled: 'rgba(0, 0, 0, 0.56)',
  },
};

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not heal by itself; a dropped connection or a 503 may.
      retry: (count, err) => count < 2 && (!(err instanceof ApiProblem) || err.status === 0 || err.status >= 500),
      refetchOnWindowFocus: true,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={queries}>
          <Console />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
