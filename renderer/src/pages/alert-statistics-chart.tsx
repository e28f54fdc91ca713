// Alerts per hour and level over the last 24 hours (the seed's alert_statistics view).
import { useTheme } from '@mui/material';
import { purple } from '@mui/material/colors';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ALERT_LEVELS, type AlertLevel } from '../../../common/enums.ts';
import type { ApiOutputs } from '../api/api-client.ts';
import { hourlySlots } from './alert-statistics-hours.ts';

type StatisticsRow = ApiOutputs['alerts']['statistics'][number];

export function AlertStatisticsChart({ rows }: { rows: readonly StatisticsRow[] }) {
  const { t, i18n } = useTranslation();
  const theme = useTheme();
  const colours = {
    INFO: theme.palette.info.main,
    WARNING: theme.palette.warning.main,
    CRITICAL: theme.palette.error.main,
    // not a second red: stacked on CRITICAL it must stay tellable apart
    FATAL: theme.palette.mode === 'dark' ? purple[300] : purple[800],
  };
  const data = useMemo(() => hourlySlots(rows, Date.now()), [rows]);
  const hourFormat = new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' });
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
        <XAxis
          dataKey="hour"
          tickFormatter={(value: number) => hourFormat.format(value)}
          stroke={theme.palette.text.secondary}
        />
        <YAxis allowDecimals={false} stroke={theme.palette.text.secondary} />
        <Tooltip
          labelFormatter={(value) => hourFormat.format(Number(value))}
          contentStyle={{ background: theme.palette.background.paper, borderColor: theme.palette.divider }}
        />
        <Legend itemSorter={(item) => ALERT_LEVELS.indexOf(item.dataKey as AlertLevel)} />
        {ALERT_LEVELS.map((level) => (
          <Bar
            key={level}
            dataKey={level}
            name={t(`levels.${level}`)}
            stackId="levels"
            fill={colours[level]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
