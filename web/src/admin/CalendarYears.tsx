/**
 * 工作日历: the years the calendar knows (uploaded, shipped, or provisional — clocks due in a
 * provisional year are recomputed once its official list is uploaded) and the upload of a year's
 * official holiday file (holiday-cn style JSON: `[{ date, name, isOffDay }]` or `{ days: [...] }`).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, InputNumber, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { shanghaiTime } from '../app/format';
import { problemMessage } from '../app/problems';
import { TONE } from '../app/tones';

type Year = Schemas['CalendarYears']['items'][number];
type Days = Schemas['HolidayYear'];

const SOURCE_ZH: Record<Year['source'], string> = {
  uploaded: '已上传官方文件',
  package: '内置官方数据',
  provisional: '暂定（仅周末及固定节日）',
};

export function CalendarYears() {
  const years = useQuery({ queryKey: ['calendar-years'], queryFn: () => unwrap(api.GET('/api/v1/admin/calendar')) });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <UploadYear />
      {years.isError && <Alert type="error" showIcon title={problemMessage(years.error)} />}
      <Table<Year>
        rowKey="year"
        size="small"
        loading={years.isPending}
        dataSource={[...(years.data?.items ?? [])].reverse()}
        pagination={{ pageSize: 10 }}
        columns={[
          { title: '年份', dataIndex: 'year' },
          {
            title: '来源',
            dataIndex: 'source',
            render: (s: Year['source']) => (
              <Tag color={s === 'provisional' ? TONE.orange : s === 'uploaded' ? TONE.green : TONE.blue}>
                {SOURCE_ZH[s]}
              </Tag>
            ),
          },
          { title: '放假日', dataIndex: 'offDays', render: (n: number | null) => n ?? '—' },
          { title: '调休上班日', dataIndex: 'workdays', render: (n: number | null) => n ?? '—' },
          {
            title: '上传',
            key: 'by',
            render: (_: unknown, y) => (y.updatedAt ? `${y.updatedBy ?? ''} ${shanghaiTime(y.updatedAt)}` : '—'),
          },
        ]}
      />
    </Space>
  );
}

function parseDays(text: string): Days {
  const json: unknown = JSON.parse(text);
  const days = Array.isArray(json) ? json : (json as { days?: unknown }).days;
  if (!Array.isArray(days)) throw new Error('not a holiday list');
  return days as Days;
}

function UploadYear() {
  const [year, setYear] = useState<number>(new Date().getFullYear() + 1);
  const [days, setDays] = useState<Days | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const { message } = App.useApp();
  const queries = useQueryClient();
  const upload = useMutation({
    mutationFn: () =>
      unwrap(api.PUT('/api/v1/admin/calendar/{year}', { params: { path: { year } }, body: days ?? [] })),
    onSuccess: (saved) => {
      void message.success(
        `${saved.year} 年已载入：放假 ${saved.offDays} 天，调休上班 ${saved.workdays} 天，${saved.recomputing} 个案件重新计算暂定时限`,
      );
      void queries.invalidateQueries({ queryKey: ['calendar-years'] });
      setDays(null);
    },
    onError: (err) => void message.error(problemMessage(err)),
  });
  return (
    <Card title="上传官方节假日文件" size="small">
      <Space wrap>
        <label htmlFor="calendar-year">年份</label>
        <InputNumber id="calendar-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        <Upload
          accept=".json,application/json"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then((text) => {
              try {
                setDays(parseDays(text));
                setFileError(null);
              } catch {
                setDays(null);
                setFileError('文件不是节假日列表（holiday-cn 格式的 JSON）。');
              }
            });
            return false;
          }}
        >
          <Button>选择文件</Button>
        </Upload>
        {days && <span>已读取 {days.length} 天</span>}
        <Button type="primary" disabled={!days} loading={upload.isPending} onClick={() => upload.mutate()}>
          上传
        </Button>
      </Space>
      {fileError && <Alert type="error" showIcon title={fileError} style={{ marginTop: 12 }} />}
    </Card>
  );
}
