// The MQTT explorer's view of a Sparkplug B message: its type, node and seq, and a table of its
// metrics (name, datatype, value) with "Create tag" for each metric a tag can map. Metrics of a
// DATA message that carry only an alias are named from the node's (device's) BIRTH the explorer
// has seen, in this window or an earlier one.
import {
  Alert,
  Box,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
} from '@mui/material';
import { useTranslation } from 'react-i18next';
import type { ApiOutputs } from '../../api/api-client.ts';
import { CreateMappingButton } from './create-mapping-button.tsx';
import { tagNameOf, type TagDraft } from './create-tag-dialog.tsx';

type Sniffed = ApiOutputs['mqtt']['sniff']['messages'][number];
type Sparkplug = NonNullable<Sniffed['sparkplug']>;
type Metric = Sparkplug['metrics'][number];

/** The BIRTH topic of a Sparkplug message's node or device. */
export function birthTopicOf(message: Sparkplug): string {
  return message.device === null
    ? `spBv1.0/${message.group}/NBIRTH/${message.node}`
    : `spBv1.0/${message.group}/DBIRTH/${message.node}/${message.device}`;
}

/** Metrics named (and typed) from the BIRTH when they carry only their alias. */
export function namedMetrics(message: Sparkplug, birth: Sparkplug | undefined): Metric[] {
  if (!birth) return message.metrics;
  const byAlias = new Map<string, Metric | null>();
  for (const m of birth.metrics) byAlias.set(m.alias, byAlias.has(m.alias) ? null : m);
  return message.metrics.map((metric) => {
    const known = metric.name === null ? byAlias.get(metric.alias) : undefined;
    return known
      ? {
          ...metric,
          name: known.name,
          address: known.address,
          tagDataType: known.tagDataType,
          dataType: metric.dataType === 'Unknown' ? known.dataType : metric.dataType,
        }
      : metric;
  });
}

/**
 * A value on one line in tabular figures (a UInt64 has 20 digits; digits that wrap are misread);
 * a long string is cut with an ellipsis and shown whole in the tooltip.
 */
function MetricValueCell({ text }: { text: string }) {
  return (
    <TableCell sx={{ fontFamily: 'monospace', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      <Tooltip title={text} placement="top-start" enterDelay={400}>
        <Box sx={{ maxWidth: '26ch', overflow: 'hidden', textOverflow: 'ellipsis' }}>{text}</Box>
      </Tooltip>
    </TableCell>
  );
}

export function SparkplugMetrics(props: {
  message: Sparkplug;
  birth: Sparkplug | undefined;
  mayCreate: boolean;
  onCreate: (draft: TagDraft) => void;
}) {
  const { t } = useTranslation();
  const { message } = props;
  const key = [message.group, message.node, message.device].filter((part) => part !== null).join('/');
  const metrics = namedMetrics(message, props.birth);
  return (
    <Stack spacing={1} data-testid="sparkplug-metrics">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Chip size="small" color="primary" label={`Sparkplug B ${message.type}`} />
        <Typography variant="body2" color="text.secondary">
          {message.seq === null
            ? t('commissioning.mqtt.sparkplug.from', { node: key })
            : t('commissioning.mqtt.sparkplug.fromSeq', { node: key, seq: message.seq })}
        </Typography>
      </Stack>
      {message.problem !== null && (
        <Alert severity="error">{t('commissioning.mqtt.sparkplug.undecodable', { problem: message.problem })}</Alert>
      )}
      {metrics.some((metric) => metric.name === null) && (
        <Alert severity="info">{t('commissioning.mqtt.sparkplug.unnamed')}</Alert>
      )}
      {message.problem === null && (
        <Table size="small" aria-label={t('commissioning.mqtt.sparkplug.metrics')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('commissioning.mqtt.sparkplug.metric')}</TableCell>
              <TableCell>{t('commissioning.mqtt.sparkplug.type')}</TableCell>
              <TableCell>{t('commissioning.mqtt.value')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {metrics.map((metric, index) => {
              const label = metric.name ?? t('commissioning.mqtt.sparkplug.alias', { alias: metric.alias });
              const { address, tagDataType } = metric;
              return (
                <TableRow key={`${metric.alias ?? ''}/${metric.name ?? ''}/${index}`} hover>
                  <TableCell sx={{ fontFamily: 'monospace' }}>{label}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{metric.dataType}</TableCell>
                  <MetricValueCell
                    text={metric.isNull ? t('commissioning.mqtt.sparkplug.null') : String(metric.value ?? '—')}
                  />
                  <TableCell>
                    {address !== null && tagDataType !== null && (
                      <CreateMappingButton
                        mayCreate={props.mayCreate}
                        ariaLabel={t('commissioning.mqtt.sparkplug.createTagFor', { name: label })}
                        onCreate={props.onCreate}
                        draft={() => ({ name: tagNameOf(`${message.node}_${label}`), address, dataType: tagDataType })}
                      />
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </Stack>
  );
}
