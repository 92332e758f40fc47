// A script as an administrator writes one with Microsoft's JavaScript Graph client
// (@microsoft/microsoft-graph-client), pointed at the admin center instead of
// graph.microsoft.com: only the base address, the custom host and the token
// endpoint differ. e2e/graphjs_test.go runs it against the real server over HTTPS
// (the client sends the token only over https to known hosts) and reports what it
// prints. Every check that fails ends the script with exit code 1 and a line that
// starts with "FAIL".
//
// Environment: GRAPH_BASE_URL (https://host:port), GRAPH_TENANT (tenant id or
// domain), GRAPH_ADMIN_ID/GRAPH_ADMIN_SECRET (an app with Global administrator),
// GRAPH_READER_ID/GRAPH_READER_SECRET (an app with Global reader), GRAPH_PEOPLE
// (how many people the tenant lists), GRAPH_RUN (a word that keeps names unique),
// and NODE_EXTRA_CA_CERTS naming the certificate authority of the server's
// certificate.
import { Client, GraphError, PageIterator } from '@microsoft/microsoft-graph-client';

const env = (name) => {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set`);
	return v;
};
const base = env('GRAPH_BASE_URL');
const tenant = env('GRAPH_TENANT');
const run = env('GRAPH_RUN');

class CheckFailed extends Error {}

function check(ok, what) {
	if (!ok) throw new CheckFailed(what);
}

// ClientCredentials gets and keeps an app's token from the token endpoint, as
// @azure/identity's ClientSecretCredential would from login.microsoftonline.com.
class ClientCredentials {
	constructor(clientId, secret) {
		this.clientId = clientId;
		this.secret = secret;
		this.token = null;
	}

	async getAccessToken() {
		if (this.token && this.token.expires > Date.now() + 60_000) return this.token.value;
		const res = await fetch(`${base}/${tenant}/oauth2/v2.0/token`, {
			method: 'POST',
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: this.clientId,
				client_secret: this.secret,
				scope: 'https://graph.microsoft.com/.default',
			}),
		});
		const body = await res.json();
		if (!res.ok) throw new Error(`token endpoint: ${res.status} ${body.error}: ${body.error_description}`);
		this.token = { value: body.access_token, expires: Date.now() + body.expires_in * 1000 };
		return this.token.value;
	}
}

function graphClient(clientId, secret) {
	return Client.initWithMiddleware({
		authProvider: new ClientCredentials(clientId, secret),
		baseUrl: base,
		defaultVersion: 'v1.0',
		customHosts: new Set([new URL(base).hostname]),
	});
}

// expectError awaits a request that must fail with Graph's status and code.
async function expectError(request, status, code, what) {
	try {
		await request;
	} catch (e) {
		check(e instanceof GraphError, `${what}: not a GraphError: ${e}`);
		check(e.statusCode === status && e.code === code,
			`${what}: got ${e.statusCode} ${e.code} (${e.message}), want ${status} ${code}`);
		console.log(`ok   ${what}: ${e.statusCode} ${e.code}`);
		return;
	}
	throw new CheckFailed(`${what}: succeeded, want ${status} ${code}`);
}

const admin = graphClient(env('GRAPH_ADMIN_ID'), env('GRAPH_ADMIN_SECRET'));
const reader = graphClient(env('GRAPH_READER_ID'), env('GRAPH_READER_SECRET'));

async function listFilterSearchCount() {
	const adele = await admin.api('/users')
		.filter("startswith(displayName,'Adele') and accountEnabled eq true")
		.select('id,displayName,userPrincipalName,accountEnabled')
		.get();
	check(adele.value.length === 1 && adele.value[0].displayName === 'Adele Vance' && adele.value[0].accountEnabled === true,
		`$filter startswith and accountEnabled: ${JSON.stringify(adele.value)}`);
	check(adele['@odata.context'].endsWith('/v1.0/$metadata#users(id,displayName,userPrincipalName,accountEnabled)'),
		`@odata.context of a $select: ${adele['@odata.context']}`);
	console.log('ok   GET /users $filter startswith(...) and accountEnabled eq true, $select');

	const some = await admin.api('/users')
		.filter("userPrincipalName in ('adelev@contoso.com','alexw@contoso.com')")
		.orderby('displayName desc')
		.select('displayName')
		.get();
	check(some.value.map((u) => u.displayName).join('|') === 'Alex Wilber|Adele Vance',
		`$filter in, $orderby displayName desc: ${JSON.stringify(some.value)}`);
	console.log('ok   GET /users $filter in (...), $orderby displayName desc');

	await expectError(admin.api('/users').search('"displayName:adele"').get(),
		400, 'Request_UnsupportedQuery', '$search without ConsistencyLevel');
	await expectError(admin.api('/users').count(true).get(),
		400, 'Request_BadRequest', '$count=true without ConsistencyLevel');

	const found = await admin.api('/users')
		.header('ConsistencyLevel', 'eventual')
		.search('"displayName:adele"')
		.count(true)
		.select('id,displayName')
		.get();
	check(found['@odata.count'] === 1 && found.value.length === 1 && found.value[0].displayName === 'Adele Vance',
		`$search with $count: ${JSON.stringify(found)}`);
	console.log('ok   GET /users $search="displayName:adele" $count=true with ConsistencyLevel: eventual');

	const n = await admin.api('/users/$count').header('ConsistencyLevel', 'eventual').get();
	check(String(n) === env('GRAPH_PEOPLE'), `/users/$count: ${n}, want ${env('GRAPH_PEOPLE')}`);
	console.log(`ok   GET /users/$count: ${n}`);

	await expectError(admin.api('/users/00000000-0000-4000-8000-0000000f1c2a').get(),
		404, 'Request_ResourceNotFound', 'GET /users/{unknown id}');
	await expectError(admin.api('/groups/00000000-0000-4000-8000-0000000f1c2a/members').get(),
		404, 'Request_ResourceNotFound', 'GET /groups/{unknown id}/members');
}

async function createLicenseAutoRepliesGroup() {
	const upn = `js-${run}@contoso.com`;
	const created = await admin.api('/users').post({
		accountEnabled: true,
		displayName: `Js Person ${run}`,
		mailNickname: `js-${run}`,
		userPrincipalName: upn,
		usageLocation: 'NL',
		passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Js-Client-Pass-2026!' },
	});
	check(typeof created.id === 'string' && created.userPrincipalName === upn, `POST /users: ${JSON.stringify(created)}`);
	const id = created.id;
	console.log(`ok   POST /users: ${id}`);
	await expectError(admin.api(`/users/${id}`).patch({ usageLocation: 'XX' }),
		400, 'Request_BadRequest', 'PATCH /users/{id} usageLocation XX');
	const located = await admin.api(`/users/${id}`).select('usageLocation').get();
	check(located.usageLocation === 'NL', `usageLocation read back: ${JSON.stringify(located)}`);
	console.log('ok   GET /users/{id} $select=usageLocation: NL');

	const skus = await admin.api('/subscribedSkus').get();
	const sku = skus.value.find((s) => s.skuPartNumber === 'O365_BUSINESS_PREMIUM');
	check(sku && sku.prepaidUnits.enabled > sku.consumedUnits, `subscribedSkus: no free Business Standard seat in ${JSON.stringify(skus.value)}`);
	await admin.api(`/users/${id}/assignLicense`).post({
		addLicenses: [{ disabledPlans: [], skuId: sku.skuId }],
		removeLicenses: [],
	});
	const licensed = await admin.api(`/users/${upn}`).select('id,assignedLicenses').get();
	check(licensed.id === id && licensed.assignedLicenses.length === 1 && licensed.assignedLicenses[0].skuId === sku.skuId,
		`assignedLicenses after assignLicense: ${JSON.stringify(licensed)}`);
	const holders = await admin.api('/users')
		.filter(`assignedLicenses/any(x:x/skuId eq ${sku.skuId}) and userPrincipalName eq '${upn}'`)
		.select('id')
		.get();
	check(holders.value.length === 1 && holders.value[0].id === id, `$filter assignedLicenses/any(...) and userPrincipalName eq: ${JSON.stringify(holders.value)}`);
	console.log(`ok   GET /subscribedSkus, POST /users/{id}/assignLicense ${sku.skuPartNumber}, $filter assignedLicenses/any`);

	await admin.api(`/users/${id}/mailboxSettings`).patch({
		automaticRepliesSetting: {
			status: 'scheduled',
			externalAudience: 'contactsOnly',
			internalReplyMessage: 'Out of office',
			externalReplyMessage: 'Out of office (outside)',
			scheduledStartDateTime: { dateTime: '2030-03-01T08:00:00', timeZone: 'W. Europe Standard Time' },
			scheduledEndDateTime: { dateTime: '2030-03-08T17:00:00', timeZone: 'W. Europe Standard Time' },
		},
	});
	const settings = await admin.api(`/users/${id}/mailboxSettings`).get();
	const ar = settings.automaticRepliesSetting;
	check(ar.status === 'scheduled' && ar.externalAudience === 'contactsOnly' && ar.internalReplyMessage === 'Out of office' &&
		ar.externalReplyMessage === 'Out of office (outside)' && ar.scheduledEndDateTime.dateTime === '2030-03-08T17:00:00.0000000' &&
		ar.scheduledEndDateTime.timeZone === 'W. Europe Standard Time',
		`automatic replies read back: ${JSON.stringify(ar)}`);
	console.log('ok   PATCH and GET /users/{id}/mailboxSettings automaticRepliesSetting (scheduled, contactsOnly)');

	const group = await admin.api('/groups').post({
		displayName: `Js Testers ${run}`,
		mailEnabled: false,
		securityEnabled: true,
		mailNickname: `jstesters-${run}`,
		groupTypes: [],
	});
	const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` };
	await admin.api(`/groups/${group.id}/members/$ref`).post(ref);
	await expectError(admin.api(`/groups/${group.id}/members/$ref`).post(ref),
		400, 'Request_BadRequest', 'POST /groups/{id}/members/$ref of a member');
	let members = await admin.api(`/groups/${group.id}/members`).get();
	check(members.value.length === 1 && members.value[0].id === id && members.value[0]['@odata.type'] === '#microsoft.graph.user',
		`members after $ref: ${JSON.stringify(members.value)}`);
	await admin.api(`/groups/${group.id}/members/${id}/$ref`).delete();
	members = await admin.api(`/groups/${group.id}/members`).get();
	check(members.value.length === 0, `members after DELETE $ref: ${JSON.stringify(members.value)}`);
	console.log('ok   POST /groups, POST and DELETE /groups/{id}/members/$ref, GET members');

	const seen = await reader.api(`/users/${id}`).select('id,jobTitle').get();
	check(seen.id === id, `a Global reader reads: ${JSON.stringify(seen)}`);
	await expectError(reader.api(`/users/${id}`).patch({ jobTitle: 'Changed by a reader' }),
		403, 'Authorization_RequestDenied', "a Global reader's PATCH /users/{id}");
	const after = await admin.api(`/users/${id}`).select('jobTitle').get();
	check(after.jobTitle === null, `the reader's change went through: ${JSON.stringify(after)}`);
}

async function walk() {
	const want = Number(env('GRAPH_PEOPLE')) + 1; // and the person created above
	const start = performance.now();
	const first = await reader.api('/users').top(999).select('id,displayName').get();
	const seen = new Map();
	let pages = 1;
	const it = new PageIterator(reader, first, (u) => {
		seen.set(u.id, (seen.get(u.id) ?? 0) + 1);
		return true;
	}, undefined);
	// The iterator asks for the next page through client.api(nextLink); count them.
	const fetchNext = it.fetchAndUpdateNextPageData.bind(it);
	const pageMs = [];
	it.fetchAndUpdateNextPageData = async () => {
		pages++;
		const t = performance.now();
		await fetchNext();
		pageMs.push(performance.now() - t);
	};
	await it.iterate();
	const seconds = (performance.now() - start) / 1000;
	const twice = [...seen].filter(([, n]) => n !== 1);
	check(twice.length === 0, `the walk saw ${twice.length} people more than once, e.g. ${JSON.stringify(twice.slice(0, 3))}`);
	check(seen.size === want, `the walk saw ${seen.size} people, the tenant has ${want}`);
	console.log(`ok   PageIterator along @odata.nextLink ($top=999): ${seen.size} people once each in ${pages} pages`);
	const ms = (i) => Math.round(pageMs[i] ?? 0);
	pageMs.sort((a, b) => a - b);
	console.log(`next pages: median ${ms(pageMs.length >> 1)} ms, slowest ${ms(pageMs.length - 1)} ms`);
	console.log(`walk: ${seen.size} users in ${seconds.toFixed(2)} s, ${Math.round(seen.size / seconds)} users/s`);
}

try {
	await listFilterSearchCount();
	await createLicenseAutoRepliesGroup();
	await walk();
	console.log('PASS');
} catch (e) {
	console.log(e instanceof CheckFailed ? `FAIL ${e.message}` : `FAIL unexpected error: ${e instanceof GraphError ? `${e.statusCode} ${e.code} ${e.message}` : e.stack}`);
	process.exitCode = 1;
}
