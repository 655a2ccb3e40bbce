// Real ids for the authorization matrix's path parameters beyond {mailboxId}, so an
// allowed call reaches the resource instead of a 404 for a made-up id.
export async function matrixResources(world: { tenant: { id: string }; mailbox: { id: string } }): Promise<Record<string, string>> {
  void world;
  return {};
}
