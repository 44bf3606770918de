import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../../server/sources/prometheus-text';

describe('parsePrometheusText', () => {
  it('reads samples with labels, escapes, a trailing comma, timestamps and special values', () => {
    const parsed = parsePrometheusText(
      [
        '# HELP resilience4j_circuitbreaker_state The states',
        '# TYPE resilience4j_circuitbreaker_state gauge',
        'resilience4j_circuitbreaker_state{name="inventory",state="open",} 1.0',
        'resilience4j_circuitbreaker_calls_seconds_count{kind="failed",name="inventory"} 214.0 1741082400000',
        'odd{path="a\\"b\\\\c\\nd"} 2',
        'nan_metric NaN',
        'inf_metric{a="1"} +Inf',
        'neg_inf -Inf',
        'exp 1.5e3',
        '',
        '# EOF',
      ].join('\n'),
    );
    expect(parsed.badLineCount).toBe(0);
    expect(parsed.samples[0]).toEqual({ name: 'resilience4j_circuitbreaker_state', labels: { name: 'inventory', state: 'open' }, value: 1 });
    expect(parsed.samples[1]!.value).toBe(214);
    expect(parsed.samples[2]!.labels.path).toBe('a"b\\c\nd');
    expect(parsed.samples[3]!.value).toBeNaN();
    expect(parsed.samples[4]!.value).toBe(Number.POSITIVE_INFINITY);
    expect(parsed.samples[5]!.value).toBe(Number.NEGATIVE_INFINITY);
    expect(parsed.samples[6]!.value).toBe(1500);
  });

  it('counts lines it cannot read instead of failing, and names the first', () => {
    const parsed = parsePrometheusText('<html>\nok 1\nbroken{a="1" 2\nbad_value{a="x"} twelve\n');
    expect(parsed.samples).toEqual([{ name: 'ok', labels: {}, value: 1 }]);
    expect(parsed.badLineCount).toBe(3);
    expect(parsed.badLines[0]).toBe('<html>');
  });
});
