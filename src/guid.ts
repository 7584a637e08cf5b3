/** A GUID as Entra ID and ACS write them (ids of tenants, apps, users and resources), in either case. */
export const GUID_SOURCE = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
export const GUID = new RegExp(`^${GUID_SOURCE}$`);
