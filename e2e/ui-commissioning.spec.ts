// Commissioning tools end to end, as an engineer bringing up a line: read the demo simulator's
// holding registers over Modbus TCP and see every format and the frames in the traffic log,
// poll, hit an exception, write a register after confirmation and read it back; the decode
// assistant and a tag made from its answer; an OPC UA browser against node-opcua's server in a
// separate process (endpoints, lazy tree, attributes, a tag by button and by drag and drop, a
// rejected certificate trusted); an MQTT topic explorer against Mosquitto; and the role checks.
import { expect as baseExpect, test, type Locator, type Page } from '@playwright/test';
import mqtt from 'mqtt';
import { Payload } from '../proto/generated/sparkplug_b.ts';
import { startMosquitto, type MosquittoServer } from '../test/services/mosquitto-server.ts';
import { OPCUA_TEST_USER, startOpcUaServer, type OpcUaTestServer } from '../test/services/opcua-server.ts';
import { ADMIN, openScreen, screenshot, signIn, startWorkstation, type Workstation } from './support/workstation.ts';

// Answers go through a real gateway, a simulator and child-process servers: allow for a busy machine.
const expect = baseExpect.configure({ timeout: 15_000 });

let ws: Workstation;
let page: Page;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ browser }) => {
  // a fresh data folder's first start (migrations, demo profile) is slow on a busy machine
  test.setTimeout(240_000);
  ws = await startWorkstation();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  await signIn(page, ws.server.url, ADMIN.username, ADMIN.password);
  await openScreen(page, 'Commissioning');
});
test.afterAll(async () => {
  await page?.close();
  await ws?.stop();
});

const textbox = (scope: Page | Locator, name: string) => scope.getByRole('textbox', { name, exact: true });

async function choose(scope: Page | Locator, combobox: string, option: string | RegExp): Promise<void> {
  await scope.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option }).click();
}

const log = () => page.getByTestId('traffic-log');
const logRows = () => log().locator('tbody tr');

test('reads holding registers from the demo simulator: every format side by side, the frames in the log', async () => {
  const modbus = page.getByRole('tabpanel', { name: 'Modbus read/write' });
  // The demo boiler's connection (the simulator's loopback port, unit 1) in one pick.
  await choose(modbus, 'Connection', 'Demo boiler');
  const [boiler] = await ws.admin.devices.list.query({ search: 'Demo boiler' });
  await expect(textbox(modbus, 'Port')).toHaveValue(boiler!.endpoint.split(':').pop()!);
  await expect(textbox(modbus, 'Slave id')).toHaveValue('1');
  await textbox(modbus, 'Count').fill('3');
  await expect(modbus.getByText('40001', { exact: true })).toBeVisible();
  await modbus.getByRole('button', { name: 'Read', exact: true }).click();

  const sixteen = modbus.getByRole('table', { name: '16-bit registers' });
  await expect(sixteen.locator('tbody tr')).toHaveCount(3);
  // 40003: the pressure, a random walk between 200 and 320
  const pressure = Number(await sixteen.locator('tbody tr').nth(2).locator('td').nth(1).textContent());
  expect(pressure).toBeGreaterThanOrEqual(200);
  expect(pressure).toBeLessThanOrEqual(320);
  await expect(sixteen.locator('tbody tr').nth(2).locator('td').nth(3)).toHaveText(
    `0x${pressure.toString(16).toUpperCase().padStart(4, '0')}`,
  );
  // 40001–02: the flow temperature, a float in word order CDAB (65 ± 8 °C)
  const wide = modbus.getByRole('table', { name: '32-bit values by word order float32' });
  const cdab = Number(await wide.locator('tbody tr').first().locator('td').nth(2).textContent());
  expect(cdab).toBeGreaterThan(56);
  expect(cdab).toBeLessThan(74);

  // The log: request and response frames (MBAP header, FC3, 3 registers = 6 bytes), time, OK.
  await expect(logRows()).toHaveCount(1);
  const row = logRows().first();
  await expect(row).toContainText('FC3 40001 ×3, slave 1');
  await expect(row).toContainText(/TX [0-9A-F]{2} [0-9A-F]{2} 00 00 00 06 01 03 00 00 00 03/);
  await expect(row).toContainText(/RX [0-9A-F]{2} [0-9A-F]{2} 00 00 00 09 01 03 06( [0-9A-F]{2}){6}/);
  await expect(row).toContainText(/\d+(\.\d)? ms/);
  await expect(row).toContainText('OK');
  await page.setViewportSize({ width: 1440, height: 1180 });
  await screenshot(page, 'commissioning-modbus-read');
  await page.setViewportSize({ width: 1440, height: 960 });

  // Registers 40004…40009 do not exist on the boiler: the exception is named in words.
  await textbox(modbus, 'Count').fill('11');
  await modbus.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(logRows().first()).toContainText('Exception 2: Illegal data address');
  await expect(logRows().first()).toContainText(/RX [0-9A-F]{2} [0-9A-F]{2} 00 00 00 03 01 83 02/);
  await expect(modbus.getByRole('alert')).toContainText('Exception 2: Illegal data address');

  // Repeat polling at 250 ms, stopped from the keyboard.
  await textbox(modbus, 'Count').fill('3');
  await choose(modbus, 'Poll every', '250 ms');
  await modbus.getByRole('button', { name: 'Start polling' }).click();
  await expect(modbus.getByText('Polling…')).toBeVisible();
  await expect.poll(async () => logRows().count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
  await modbus.getByRole('button', { name: 'Stop polling' }).focus();
  await page.keyboard.press('Enter');
  await expect(modbus.getByText('Polling…')).toBeHidden();
  const afterStop = await logRows().count();
  await page.waitForTimeout(800);
  expect(await logRows().count()).toBe(afterStop);
  await expect(page.getByRole('status').filter({ hasText: /transactions/ })).toHaveText(`${afterStop} transactions`);

  await modbus.getByRole('button', { name: 'Clear the log' }).click();
  await expect(log()).toContainText('No requests yet');
});

test('writes a register after confirmation and reads it back', async () => {
  const modbus = page.getByRole('tabpanel', { name: 'Modbus read/write' });
  await choose(modbus, 'Function code', '06 Write single register');
  await textbox(modbus, 'Address (offset)').fill('9');
  await textbox(modbus, 'Value').fill('70000');
  await expect(modbus.getByText('"70000" is not a register value')).toBeVisible();
  await expect(modbus.getByRole('button', { name: 'Write', exact: true })).toBeDisabled();
  await textbox(modbus, 'Value').fill('55');
  // Enter in the form asks first; nothing is written before the confirmation.
  await textbox(modbus, 'Value').press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Write to the device?' });
  await expect(confirm).toContainText('FC6 40010, slave 1');
  await expect(confirm).toContainText('write 55');
  await screenshot(page, 'commissioning-modbus-write-confirm');
  await expect(logRows()).toHaveCount(1); // the empty-log row
  await confirm.getByRole('button', { name: 'Write' }).click();
  await expect(confirm).toBeHidden();
  await expect(logRows().first()).toContainText('FC6 40010, slave 1');
  await expect(logRows().first()).toContainText(/TX [0-9A-F]{2} [0-9A-F]{2} 00 00 00 06 01 06 00 09 00 37/);
  await expect(logRows().first()).toContainText('OK');

  await choose(modbus, 'Function code', '03 Read holding registers');
  await textbox(modbus, 'Count').fill('1');
  await modbus.getByRole('button', { name: 'Read', exact: true }).click();
  const sixteen = modbus.getByRole('table', { name: '16-bit registers' });
  await expect(sixteen.locator('tbody tr')).toHaveCount(1);
  await expect(sixteen.locator('tbody tr').first()).toContainText('40010');
  await expect(sixteen.locator('tbody tr').first().locator('td').nth(1)).toHaveText('55');
  // The write is in the audit trail with its outcome.
  const audit = await ws.admin.audit.query.query({ action: 'commissioning.modbus' });
  expect(audit.some((entry) => entry.details?.functionCode === 6 && entry.success)).toBe(true);
});

test('the decode assistant finds the type and word order of a reading and makes a tag of it', async () => {
  await page.getByRole('tab', { name: 'Decode assistant' }).click();
  const decode = page.getByRole('tabpanel', { name: 'Decode assistant' });
  // A flow meter shows 50.0; its manual says "float at 40021", the registers read 0 16968.
  await textbox(decode, 'Register values').fill('0 16968');
  await textbox(decode, "Value on the device's display").fill('50.0');
  await textbox(decode, 'First register (offset)').fill('20');
  await decode.getByRole('button', { name: 'Decode' }).click();
  const candidates = decode.getByRole('table', { name: 'Interpretations' });
  await expect(candidates.locator('tbody tr').first()).toContainText('Float');
  await expect(candidates.locator('tbody tr').first()).toContainText('CDAB');
  await expect(candidates.locator('tbody tr').first()).toContainText('40021:CDAB');
  // every format of the pasted registers as well
  await expect(decode.getByRole('table', { name: '32-bit values by word order float32' })).toContainText('50');
  await screenshot(page, 'commissioning-decode');

  await candidates.getByRole('button', { name: 'Create a tag from Float at 40021:CDAB' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create tag' });
  await expect(textbox(dialog, 'Address')).toHaveValue('40021:CDAB');
  await choose(dialog, 'Device', /Demo pump skid/);
  await textbox(dialog, 'Name').fill('flow_rate');
  await textbox(dialog, 'Unit').fill('m³/h');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(decode.getByText('Tag flow_rate created.')).toBeVisible();
  const { tags } = await ws.admin.tags.list.query({ search: 'flow_rate' });
  expect(tags[0]).toMatchObject({ address: '40021:CDAB', dataType: 'Float', scaling: 1, unit: 'm³/h' });

  // Raw bytes are read as well; an odd number of bytes is refused in words.
  await decode.getByRole('button', { name: 'Raw bytes' }).click();
  await textbox(decode, 'Raw bytes (hex)').fill('42 48 00');
  await expect(decode.getByText(/Raw bytes come in pairs/)).toBeVisible();
  await textbox(decode, 'Raw bytes (hex)').fill('42 48 00 00');
  await textbox(decode, "Value on the device's display").fill('50');
  await decode.getByRole('button', { name: 'Decode' }).click();
  await expect(candidates.locator('tbody tr').first()).toContainText('40021:ABCD');
});

test.describe('OPC UA', () => {
  let server: OpcUaTestServer;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startOpcUaServer({ plantVariables: 20, bigFolderChildren: 450, startTimeoutMs: 110_000 });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('discovers endpoints, browses the address space lazily, shows attributes and creates tags', async () => {
    test.setTimeout(120_000);
    await ws.admin.devices.create.mutate({ name: 'Line 1 PLC', protocol: 'OpcUa', endpoint: server.endpoint });
    await page.getByRole('tab', { name: 'OPC UA browser' }).click();
    const opcua = page.getByRole('tabpanel', { name: 'OPC UA browser' });
    await textbox(opcua, 'Endpoint URL').fill(server.endpoint);
    await opcua.getByRole('button', { name: 'Discover endpoints' }).click();
    const endpoints = opcua.getByRole('table', { name: 'Endpoints' });
    await expect(endpoints).toContainText('SignAndEncrypt', { timeout: 30_000 });
    await expect(endpoints).toContainText('Basic256Sha256');
    await opcua.getByRole('button', { name: 'Connect' }).click();

    const tree = opcua.getByRole('tree', { name: 'Address space' });
    const item = (name: string) => tree.getByRole('treeitem', { name, exact: true });
    await expect(item('Plant')).toBeVisible({ timeout: 30_000 });
    // Keyboard: focus Plant, open it with the right arrow, select Setpoint with Enter.
    await item('Plant').focus();
    await page.keyboard.press('ArrowRight');
    await expect(item('Setpoint')).toBeVisible();
    await item('Setpoint').focus();
    await page.keyboard.press('Enter');
    const attributes = opcua.getByTestId('opcua-attributes');
    await expect(attributes).toContainText('ns=1;s=Plant.Setpoint');
    await expect(attributes).toContainText('Double');
    await expect(attributes).toContainText('12.5');
    await expect(attributes).toContainText('CurrentRead, CurrentWrite');

    // A big folder opens with its first page; "Load more" follows its continuation point.
    await item('Big').focus();
    await page.keyboard.press('ArrowRight');
    await expect(opcua.getByRole('button', { name: 'Load more (200 shown)' })).toBeVisible();
    await expect(tree.getByRole('treeitem', { level: 3 }).filter({ hasText: /^Item/ })).toHaveCount(200);
    await opcua.getByRole('button', { name: 'Load more (200 shown)' }).click();
    await expect(opcua.getByRole('button', { name: 'Load more (400 shown)' })).toBeVisible({ timeout: 30_000 });
    await item('Big').focus();
    await page.keyboard.press('ArrowLeft');
    await item('Setpoint').click();
    await expect(attributes).toContainText('ns=1;s=Plant.Setpoint');
    await screenshot(page, 'commissioning-opcua');

    // A tag from the selected node by the button…
    await opcua.getByRole('button', { name: 'Create tag' }).click();
    let dialog = page.getByRole('dialog', { name: 'Create tag' });
    await expect(textbox(dialog, 'Address')).toHaveValue('ns=1;s=Plant.Setpoint');
    await expect(dialog.getByRole('combobox', { name: 'Data type' })).toHaveText('Double');
    await expect(dialog.getByRole('combobox', { name: 'Access' })).toHaveText('Read/write');
    await choose(dialog, 'Device', /Line 1 PLC/);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();

    // …and by dragging a variable onto the device's tag list.
    await choose(opcua, 'Device', /Line 1 PLC/);
    const drop = opcua.getByTestId('opcua-tag-drop');
    await expect(drop).toContainText('Setpoint');
    await item('Recipe').dragTo(drop);
    dialog = page.getByRole('dialog', { name: 'Create tag' });
    await expect(textbox(dialog, 'Address')).toHaveValue('ns=1;s=Plant.Recipe');
    await expect(dialog.getByRole('combobox', { name: 'Data type' })).toHaveText('String');
    await expect(dialog.getByRole('combobox', { name: 'Access' })).toHaveText('Read');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
    await expect(drop).toContainText('Recipe');
    const { tags } = await ws.admin.tags.list.query({ search: 'ns=1;s=Plant' });
    expect(tags.map((tag) => `${tag.name}:${tag.dataType}:${tag.accessType}`).sort()).toEqual([
      'Recipe:String:Read',
      'Setpoint:Double:ReadWrite',
    ]);
  });

  test('a secure connection to an unknown server is refused until its certificate is trusted', async () => {
    test.setTimeout(120_000);
    const opcua = page.getByRole('tabpanel', { name: 'OPC UA browser' });
    await choose(opcua, 'Security mode', /^Sign$/);
    await choose(opcua, 'Security policy', 'Basic256Sha256');
    await textbox(opcua, 'User name').fill(OPCUA_TEST_USER.userName);
    await opcua.getByLabel('Password').fill(OPCUA_TEST_USER.password);
    await opcua.getByRole('button', { name: 'Connect' }).click();
    const tree = opcua.getByRole('tree', { name: 'Address space' });
    await expect(tree.getByRole('alert')).toContainText(/not trusted/, { timeout: 30_000 });
    const certificates = opcua.getByRole('table', { name: 'Server certificates' });
    await expect(certificates).toContainText('Rejected');
    await screenshot(page, 'commissioning-opcua-certificate');
    await certificates.getByRole('button', { name: 'Trust' }).click();
    const confirm = page.getByRole('dialog', { name: 'Trust this server certificate?' });
    await confirm.getByRole('button', { name: 'Trust' }).click();
    await expect(confirm).toBeHidden();
    await expect(certificates).toContainText('Trusted');
    await opcua.getByRole('button', { name: 'Connect' }).click();
    await expect(tree.getByRole('treeitem', { name: 'Plant', exact: true })).toBeVisible({ timeout: 30_000 });
  });
});

test.describe('MQTT', () => {
  let broker: MosquittoServer | undefined;
  let publisher: mqtt.MqttClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  test.beforeAll(async () => {
    broker = await startMosquitto();
    if (!broker) return;
    publisher = await mqtt.connectAsync(broker.url);
    await publisher.publishAsync('plant/line1/status', 'running', { retain: true });
    let n = 0;
    const publish = () =>
      void publisher?.publishAsync(
        'plant/line1/telemetry',
        JSON.stringify({ temperature: 21.5 + (n++ % 3), pressure: { value: 1.25, unit: 'bar' }, ok: true }),
      );
    publish();
    timer = setInterval(publish, 200);
  });
  test.afterAll(async () => {
    clearInterval(timer);
    await publisher?.endAsync();
    await broker?.stop();
  });

  test('lists the live topics with counts and payloads, and maps a JSON field to a tag', async () => {
    test.skip(!broker, 'mosquitto is not installed');
    test.setTimeout(90_000);
    await ws.admin.devices.create.mutate({ name: 'Line 1 broker', protocol: 'Mqtt', endpoint: broker!.url });
    await page.getByRole('tab', { name: 'MQTT topic explorer' }).click();
    const explorer = page.getByRole('tabpanel', { name: 'MQTT topic explorer' });
    await textbox(explorer, 'Broker URL').fill(broker!.url);
    await textbox(explorer, 'Topic filter').fill('plant/#');
    await explorer.getByRole('button', { name: 'Listen' }).click();
    const topics = explorer.getByRole('list', { name: 'Topics' });
    await expect(topics.getByRole('button', { name: /plant\/line1\/telemetry/ })).toBeVisible({ timeout: 15_000 });
    await expect(topics.getByRole('button', { name: /plant\/line1\/status/ })).toContainText('retained');
    // counts grow while listening (5 messages a second); the retained one counts once
    await expect
      .poll(
        async () =>
          Number(
            await topics
              .getByRole('button', { name: /telemetry/ })
              .getByLabel(/messages/)
              .textContent(),
          ),
        {
          timeout: 15_000,
        },
      )
      .toBeGreaterThanOrEqual(12);
    await expect(topics.getByRole('button', { name: /status/ }).getByLabel(/message/)).toHaveText('1');
    await topics.getByRole('button', { name: /plant\/line1\/telemetry/ }).click();
    await expect(explorer.getByTestId('mqtt-payload')).toContainText('"pressure": {');
    await screenshot(page, 'commissioning-mqtt');
    await explorer.getByRole('button', { name: 'Stop' }).click();
    await expect(explorer.getByRole('button', { name: 'Listen' })).toBeVisible({ timeout: 10_000 });

    await explorer.getByRole('button', { name: 'Create a mapping for pressure.value' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create tag' });
    await expect(textbox(dialog, 'Address')).toHaveValue('plant/line1/telemetry|pressure.value');
    await expect(dialog.getByRole('combobox', { name: 'Data type' })).toHaveText('Double');
    await choose(dialog, 'Device', /Line 1 broker/);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
    const { tags } = await ws.admin.tags.list.query({ search: 'pressure.value' });
    expect(tags[0]).toMatchObject({ address: 'plant/line1/telemetry|pressure.value', dataType: 'Double' });
  });

  test('decodes Sparkplug B: the BIRTH names the aliases of DATA, and a metric becomes a tag', async () => {
    test.skip(!broker, 'mosquitto is not installed');
    test.setTimeout(90_000);
    const edge = await mqtt.connectAsync(broker!.url);
    let seq = 0;
    const send = (type: string, metrics: Payload['metrics']) =>
      void edge.publishAsync(
        `spBv1.0/Plant1/${type}/Edge1`,
        Buffer.from(Payload.encode({ seq: BigInt(seq++ % 256), metrics }).finish()),
      );
    const explorer = page.getByRole('tabpanel', { name: 'MQTT topic explorer' });
    await explorer.getByRole('button', { name: 'Clear' }).click();
    await textbox(explorer, 'Topic filter').fill('spBv1.0/#');
    await explorer.getByRole('button', { name: 'Listen' }).click();
    await page.waitForTimeout(500);
    send('NBIRTH', [
      { name: 'Boiler/Temperature', alias: 1n, datatype: 10, value: { $case: 'doubleValue', value: 71.5 } },
      { name: 'Boiler/Cycles', alias: 2n, datatype: 8, value: { $case: 'longValue', value: 2n ** 64n - 1n } },
      { name: 'Boiler/Alarm', alias: 3n, datatype: 12, isNull: true, value: undefined },
    ]);
    const timer = setInterval(
      () => send('NDATA', [{ alias: 1n, value: { $case: 'doubleValue', value: 72 + (seq % 3) } }]),
      300,
    );
    try {
      const topics = explorer.getByRole('list', { name: 'Topics' });
      await topics.getByRole('button', { name: /spBv1\.0\/Plant1\/NDATA\/Edge1/ }).click({ timeout: 15_000 });
      const metrics = explorer.getByRole('table', { name: 'Sparkplug B metrics' });
      // the DATA carries alias 1 only; the BIRTH seen before names it
      await expect(metrics.getByRole('row', { name: /Boiler\/Temperature Double 7[234]/ })).toBeVisible();
      await topics.getByRole('button', { name: /spBv1\.0\/Plant1\/NBIRTH\/Edge1/ }).click();
      await expect(metrics.getByRole('row', { name: /Boiler\/Cycles UInt64 18446744073709551615/ })).toBeVisible();
      await expect(metrics.getByRole('row', { name: /Boiler\/Alarm String null/ })).toBeVisible();
      await screenshot(page, 'commissioning-mqtt-sparkplug');
      await explorer.getByRole('button', { name: 'Stop' }).click();
      await expect(explorer.getByRole('button', { name: 'Listen' })).toBeVisible({ timeout: 10_000 });
      await explorer.getByRole('button', { name: 'Create a tag for metric Boiler/Cycles' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create tag' });
      await expect(textbox(dialog, 'Address')).toHaveValue('spBv1.0/Plant1/Edge1|Boiler/Cycles');
      await expect(dialog.getByRole('combobox', { name: 'Data type' })).toHaveText('UInt64');
      await choose(dialog, 'Device', /Line 1 broker/);
      await dialog.getByRole('button', { name: 'Create' }).click();
      await expect(dialog).toBeHidden();
      const { tags } = await ws.admin.tags.list.query({ search: 'Boiler/Cycles' });
      expect(tags[0]).toMatchObject({ address: 'spBv1.0/Plant1/Edge1|Boiler/Cycles', dataType: 'UInt64' });

      // Rebirth requests are off until the engineer allows commands on the broker device
      await openScreen(page, 'Devices');
      await page.getByRole('button', { name: 'Edit Line 1 broker' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit Line 1 broker' });
      const commands = edit.getByRole('switch', { name: /Allow Sparkplug B commands/ });
      await expect(commands).not.toBeChecked();
      await commands.check();
      await edit.getByRole('button', { name: 'Save' }).click();
      await expect(edit).toBeHidden();
      const [broker] = await ws.admin.devices.list.query({ search: 'Line 1 broker' });
      expect(broker?.config).toMatchObject({ mqtt: { sparkplug: { allowCommands: true } } });
      await openScreen(page, 'Commissioning');
    } finally {
      clearInterval(timer);
      await edge.endAsync();
    }
  });
});

test('in Chinese; and a role without "commission" neither sees the tools nor may call them', async () => {
  await page.getByRole('tab', { name: 'Modbus read/write' }).click();
  await page.getByRole('button', { name: '中文 / English' }).click();
  await expect(page.getByRole('tab', { name: '解码助手' })).toBeVisible();
  await expect(page.getByRole('button', { name: '读取', exact: true })).toBeVisible();
  await screenshot(page, 'commissioning-zh');
  await page.getByRole('button', { name: '中文 / English' }).click();

  await ws.admin.users.create.mutate({
    username: 'otto',
    password: 'an operator of pumps',
    role: 'OPERATOR',
    mustChangePassword: false,
  });
  const operatorPage = await page.context().browser()!.newPage();
  try {
    await signIn(operatorPage, ws.server.url, 'otto', 'an operator of pumps');
    await expect(
      operatorPage.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Tags' }),
    ).toBeVisible();
    await expect(
      operatorPage.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Commissioning' }),
    ).toHaveCount(0);
  } finally {
    await operatorPage.close();
  }
  const operator = await ws.clientFor('otto', 'an operator of pumps');
  const [boiler] = await ws.admin.devices.list.query({ search: 'Demo boiler' });
  await expect(
    operator.api.commissioning.modbus.mutate({
      protocol: 'ModbusTcp',
      endpoint: boiler!.endpoint,
      functionCode: 6,
      address: 9,
      value: 1,
    }),
  ).rejects.toThrow('Your role (OPERATOR) may not use the commissioning tools.');
  await expect(operator.api.commissioning.serialPorts.query()).rejects.toThrow(/may not use the commissioning tools/);
});
