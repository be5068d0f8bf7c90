// The pod's first view can come with its session (issue 13): the record model shows it without asking
// GET /api/views, once; a reload asks the server, and a view that fails the schema is asked for too.
import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { createRecordModels, RecordBody } from '../../client/pod/views/record-view.tsx';
import { text, useMountPoint } from './fakes/dom.ts';
import { boundView, FakePodServer, flush, unboundView } from './pod-fakes.ts';

const root = useMountPoint();
const route = 'GET /api/views/agreement/290';

describe('record view with the view that came with the session', () => {
  it('shows its rows without a request, and a reload asks the server', async () => {
    const server = new FakePodServer();
    server.on(route, () => ({ body: unboundView }));
    const models = createRecordModels({ api: server.api() }, 'agreement', 290, boundView);
    render(<RecordBody models={models} wide={false} />, root);
    await models.record.load();
    await flush();
    expect(server.count(route)).toBe(0);
    expect(root.querySelectorAll('[data-subscription]')).toHaveLength(3);
    expect(text(root)).toContain('Ace Chemical Processing Plant');
    await models.record.load();
    await flush();
    expect(server.count(route)).toBe(1);
    expect(root.querySelectorAll('[data-subscription]')).toHaveLength(0);
  });

  it('asks the server when what came does not pass the view schema', async () => {
    const server = new FakePodServer();
    const models = createRecordModels({ api: server.api() }, 'agreement', 290, { rows: 'not a view' });
    render(<RecordBody models={models} wide={false} />, root);
    await models.record.load();
    await flush();
    expect(server.count(route)).toBe(1);
    expect(root.querySelectorAll('[data-subscription]')).toHaveLength(3);
  });

  it('without one, the first load asks the server as before', async () => {
    const server = new FakePodServer();
    const models = createRecordModels({ api: server.api() }, 'agreement', 290);
    await models.record.load();
    expect(server.count(route)).toBe(1);
  });
});
