import { parseQuery, positiveClauses } from '../query/query-parser';
import { highlight } from './highlighter';

const hl = (text: string, q: string) => highlight(text, positiveClauses(parseQuery(q)));

describe('highlight', () => {
  it('wraps whole-word matches, phrases and CJK substrings in <em>', () => {
    expect(hl('Kafka streams, kafkaesque Kafka.', 'kafka')).toBe('<em>Kafka</em> streams, kafkaesque <em>Kafka</em>.');
    expect(hl('the big, bird flew', '"big bird"')).toBe('the <em>big, bird</em> flew');
    expect(hl('我们的搜索引擎很快', '搜索')).toBe('我们的<em>搜索</em>引擎很快');
  });

  it('escapes HTML outside and inside the tags', () => {
    expect(hl('<script>alert("x")</script> & alert', 'alert')).toBe('&lt;script&gt;<em>alert</em>(&quot;x&quot;)&lt;/script&gt; &amp; <em>alert</em>');
  });

  it('cuts a window around the first match', () => {
    const text = 'lorem '.repeat(100) + 'needle ' + 'ipsum '.repeat(100);
    const s = hl(text, 'needle');
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('<em>needle</em>');
    expect(s.length).toBeLessThan(230);
  });
});
