import * as z from "zod/mini";

/** Cognito's AttributeListType: `[{ Name, Value }]`. */
export const AttributeList = z.lazy(() => z.array(z.object({ Name: z.string(), Value: z.optional(z.string()) })));
type AttributeList = z.infer<typeof AttributeList>;

/** Cognito's `[{ Name, Value }]` from our `{ name: value }` map. */
export const toAttributeList = (attributes: Record<string, string>): AttributeList =>
  Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }));

/** Our `{ name: value }` map from Cognito's list; an attribute without a value is "". */
export const fromAttributeList = (list: AttributeList = []): Record<string, string> =>
  Object.fromEntries(list.map((a) => [a.Name, a.Value ?? ""]));
