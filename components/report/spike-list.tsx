import { formatDay } from '@/lib/format';
import type { PanelSpike } from '@/lib/usage/panel-data';
import { ConversionNote, useMoney } from './money';

/**
 * Days of unusual spend in the range, each explained: the keys and models whose rise over their
 * own baseline makes up the difference, largest first, with amounts (lib/usage/spikes.ts).
 */
export function SpikeList({
  spikes,
  title = 'Unusual spend',
  onOpenKey,
  testId = 'report-spikes',
}: {
  spikes: readonly PanelSpike[];
  title?: string;
  onOpenKey?: (ref: { orgId: string; apiKeyId: string }) => void;
  testId?: string;
}) {
  const money = useMoney();
  const newest = [...spikes].sort((a, b) => b.day - a.day);
  return (
    <section className="km-card km-spikes" aria-label={title} data-testid={testId}>
      <h2>{title}</h2>
      <p className="km-muted km-small">
        A day is flagged when its cost is at least twice its usual level: the median of the same weekday over the four weeks before (or of
        the days before, when there are too few), so one earlier spike does not hide a later one and quiet weekends do not flag Mondays. A
        key and model at twice its own usual level also flags the day when its rise is at least a tenth of the day's usual total.
      </p>
      <ConversionNote />
      {newest.length === 0 ? (
        <p className="km-muted">No day in this range stands out.</p>
      ) : (
        <ul className="km-spike-list">
          {newest.map((spike) => (
            <li key={spike.day} data-day={spike.day}>
              <strong>{formatDay(spike.day)}</strong>: {money.format(spike.micros)},{' '}
              {spike.baselineMicros > 0
                ? `${(spike.micros / spike.baselineMicros).toFixed(1)}× the usual ${money.format(spike.baselineMicros)}`
                : 'where the usual is nothing'}{' '}
              <span className="km-muted">({spike.baselineKind === 'weekday' ? 'same weekday, previous weeks' : 'previous days'})</span>
              {spike.trigger === 'pair' && (
                <span className="km-muted"> — flagged for the keys below, each at 2× or more its own usual</span>
              )}
              {spike.drivers.length > 0 && (
                <ul className="km-drivers" aria-label="What made the difference">
                  {spike.drivers.map((d) => (
                    <li key={`${d.orgId}|${d.apiKeyId}|${d.model}`}>
                      {onOpenKey && d.apiKeyId !== '*' ? (
                        <button type="button" className="km-link" onClick={() => onOpenKey(d)}>
                          {d.keyName}
                        </button>
                      ) : (
                        d.keyName
                      )}
                      {d.model ? (
                        <>
                          {' '}
                          on <code>{d.model}</code>
                        </>
                      ) : null}
                      : +{money.format(d.deltaMicros)}
                      {spike.trigger === 'pair' && (
                        <span className="km-muted">
                          {' '}
                          ({money.format(d.micros)}, {d.baselineMicros > 0 ? `${(d.micros / d.baselineMicros).toFixed(1)}×` : 'against'} its
                          usual {money.format(d.baselineMicros)})
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
