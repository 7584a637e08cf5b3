import { PLACEHOLDER_ENTRA } from "./entra-settings.ts";
import { type ApiProperties, ENTRA_FOLDER, FILES } from "./properties.ts";

/** connector/README.md's section on the Entra ID variant: the two app registrations, the service's settings, the imports. */

export const ENTRA_SECTION_TITLE = "Sign in with Microsoft Entra ID (OAuth 2.0)";

export function entraSection(properties: ApiProperties, base: string): string {
  const oAuthSettings = properties.properties.connectionParameters.token!.oAuthSettings!;
  const clientId = oAuthSettings.clientId;
  const tenantId = oAuthSettings.customParameters.tenantId!.value;
  const audience = oAuthSettings.customParameters.resourceUri!.value;
  // Relative to the README itself, which sits beside entra/ in whatever folder `--out` names.
  const folder = `${ENTRA_FOLDER}/`;
  const placeholders = clientId === PLACEHOLDER_ENTRA.clientId || tenantId === PLACEHOLDER_ENTRA.tenantId || audience === PLACEHOLDER_ENTRA.audience;
  return `## ${ENTRA_SECTION_TITLE}

\`${folder}\` holds the same actions with another connection: instead of pasting an API key, each maker signs in
with a work account of your tenant, and the connector sends that user's access token to the service
(\`Authorization: Bearer\`), which checks it as it checks every Entra ID caller (\`ENTRA_TENANT_ID\`, \`ENTRA_AUDIENCE\`,
\`ENTRA_REQUIRED_ROLE\`). It takes two app registrations in Microsoft Entra ID: one for the service (the API the token
is for) and one for the connector (the client that signs users in).

Which token the connector gets: Power Platform's *Azure Active Directory* identity provider signs users in with
Entra ID's v1 authorization-code flow for a resource, the service's Application ID URI. With the API app's manifest
left at \`accessTokenAcceptedVersion: null\` (the default), that is a v1 access token: issuer
\`https://sts.windows.net/<tenant id>/\`, \`aud\` the Application ID URI (so \`ENTRA_AUDIENCE\` is that URI), \`scp\` the
delegated permissions the connector's app was granted, \`roles\` the user's app roles. The service accepts the v1
and the v2 issuer of its tenant.

The values in \`${folder}${FILES.properties}\`:

| setting | value in the files | flag |
| --- | --- | --- |
| the connector app's application (client) id | \`${clientId}\` | \`--client-id\` |
| your directory (tenant) id, the service's \`ENTRA_TENANT_ID\` | \`${tenantId}\` | \`--tenant-id\` |
| the service's \`ENTRA_AUDIENCE\` (resource URL) | \`${audience}\` | \`--audience\` |

${
  placeholders
    ? `Values with \`${PLACEHOLDER_ENTRA.clientId}\` are placeholders: replace them with yours, best by generating the
files with the flags (step 4).
`
    : ""
}The client secret never goes into a file: you give it at import.

### 1. Register the service's API app

1. In the Microsoft Entra admin center, open **App registrations** > **New registration**: a name (e.g.
   \`ACS identities API\`), **Accounts in this organizational directory only**, no redirect URI. **Register**, and
   note the **Directory (tenant) ID**.
2. **Expose an API** > **Application ID URI** > **Add**: keep the proposed \`api://<its application (client) id>\`
   and save. This URI is the service's \`ENTRA_AUDIENCE\` and the connector's resource URL.
3. **Expose an API** > **Add a scope**: scope name \`access_as_user\`, who can consent **Admins only** (or admins
   and users), a display name and description for the consent screen, state **Enabled**.
4. Optional, to let in only some users: **App roles** > **Create app role**, e.g. value \`Identities.Manage\`, allowed
   member types **Users/Groups**; then in **Enterprise applications** > the API app > **Users and groups**, assign
   it to the users or groups who may use the connector. Their tokens carry it in \`roles\`.
5. Leave **Manifest** > \`accessTokenAcceptedVersion\` at \`null\` (v1 tokens, as above).

### 2. Register the connector's client app

1. **App registrations** > **New registration**: a name (e.g. \`ACS identities connector\`), **Accounts in this
   organizational directory only**, redirect URI platform **Web** with \`${oAuthSettings.redirectUrl}\`
   (the connector's own redirect URL is added in step 5). **Register**, and note its **Application (client) ID**.
2. **Certificates & secrets** > **New client secret**; copy its **Value** now (it is shown once).
3. **API permissions** > **Add a permission** > **My APIs** (or **APIs my organization uses**) > the API app >
   **Delegated permissions** > \`access_as_user\` > **Add permissions**; then **Grant admin consent** for your tenant.

### 3. Configure the service

\`\`\`sh
ENTRA_TENANT_ID=<directory (tenant) id>
ENTRA_AUDIENCE=api://<the API app's application (client) id>
ENTRA_REQUIRED_ROLE=Identities.Manage   # optional: the app role of step 1.4, or access_as_user for any consented user
\`\`\`

\`API_KEYS\` may stay set: the service accepts either credential. With Entra ID on and no API keys, the service's
\`/swagger.json\` serves this variant's definition.

### 4. Generate the files

\`\`\`sh
npm run connector -- --host identities.contoso.com \\
  --client-id <the connector app's application (client) id> \\
  --tenant-id <directory (tenant) id> \\
  --audience api://<the API app's application (client) id>
\`\`\`

Ids are GUIDs, the audience an \`api://\` or \`https://\` URI; anything else is refused with a one-line reason.

### 5. Import into Power Automate or Power Apps

1. Create the connector from \`${folder}\` with paconn (step 7) or \`pac connector create\` (as for the API key
   variant, from \`${folder}\`), so that connections get the **Service URL**; or, with files written for your host,
   **Custom connectors** > **New custom connector** > **Import an OpenAPI file** with
   \`${ENTRA_FOLDER}/${FILES.definition}\` (or **Import an OpenAPI from URL** with \`${base}/swagger.json\` when the
   service has Entra ID on and no API keys).
2. On **General**, upload the icon and set the colour as for the API key variant.
3. On **Security**, the definition has set **OAuth 2.0**; the identity provider is **Azure Active Directory** (pick it
   if another is shown).
   Fill in **Client ID** (\`${clientId}\`: the connector app's id), **Client secret** (from step 2.2), the login URL
   \`https://login.microsoftonline.com\`, **Tenant ID** (\`${tenantId}\`), **Resource URL** (\`${audience}\`, the
   service's \`ENTRA_AUDIENCE\`); leave **Enable on-behalf-of login** off and **Scope** empty.
4. Choose **Create connector**. **Security** now shows the connector's own **Redirect URL**
   (\`${oAuthSettings.redirectUrl}/<connector name>-<id>\`): copy it, and in the connector app's
   registration, **Authentication** > **Web** > **Redirect URIs**, add it and save. Sign-in fails with a redirect
   URI mismatch until you do.
5. On **Test**, choose **New connection**, enter the **Service URL**, sign in, and try **Create a user**.

### 6. Import into Logic Apps (Consumption)

1. In a **Logic Apps Custom Connector** resource, choose **Edit**, upload \`${ENTRA_FOLDER}/${FILES.definition}\` of files
   written for your host (\`--host\`, \`--out\`) and **Import**.
2. On **Security**, check **OAuth 2.0** with **Azure Active Directory**, fill in the client id, client secret, login
   URL, tenant id and resource URL as above, and choose **Update connector**.
3. Copy the **Redirect URL** that **Security** now shows (\`https://logic-apis-<region>.consent.azure-apim.net/redirect\`)
   into the connector app's **Web** redirect URIs as well.
4. In a Consumption workflow, pick the connector on the **Custom** tab and create the connection by signing in.

### 7. Create it with paconn

paconn reads the client id, tenant and resource from the generated ${FILES.properties}; give it the secret. From this
README's folder:

\`\`\`sh
cd ${folder}
paconn login
paconn create --api-def ${FILES.definition} --api-prop ${FILES.properties} --icon ${FILES.icon} --secret <client secret>
# later, with the environment and connectorId that create printed added to ${FILES.settings}:
paconn update --settings ${FILES.settings} --secret <client secret>
\`\`\`

Then add the connector's Redirect URL (its **Security** tab) to the connector app's redirect URIs, as in step 5.4.
`;
}
