// Calls to the service, with the page's API key, and their errors in words.

const STATUS_WORDS = {
  401: "This service needs an API key: open the page with ?api_key=YOUR_KEY in the address.",
  403: "The API key was refused.",
  413: "The article is too long for this service.",
  422: "The service could not read this request.",
  429: "The service is busy right now; try again in a moment.",
  503: "The service is starting or unavailable; try again shortly.",
};
export const UNREACHABLE = "The service could not be reached. Check that it is running and your connection.";

/** The headers of a call: the key the page was opened with (`?api_key=`), and JSON's type. */
export function headers(json = true) {
  const result = json ? { "Content-Type": "application/json" } : {};
  const key = new URLSearchParams(window.location.search).get("api_key");
  if (key) result.Authorization = `Bearer ${key}`;
  return result;
}

/** What went wrong with `response`, in words, with the service's own message. */
export async function errorMessage(response) {
  let detail = "";
  try {
    const body = await response.json();
    detail = (body.error && body.error.message) || body.message || "";
  } catch (e) {
    detail = "";
  }
  const words = STATUS_WORDS[response.status] || `The service answered with an error (${response.status}).`;
  return detail ? `${words} (${detail})` : words;
}

/** POST `body` as JSON; the answer's JSON, or an Error whose message is in words. */
export async function postJson(url, body) {
  let response;
  try {
    response = await fetch(url, { method: "POST", headers: headers(), body: JSON.stringify(body) });
  } catch (e) {
    throw new Error(UNREACHABLE);
  }
  if (!response.ok) throw new Error(await errorMessage(response));
  return response.json();
}

/** GET `url`'s JSON, or null when the service cannot give it (the page works without). */
export async function getJson(url) {
  try {
    const response = await fetch(url, { headers: headers() });
    return response.ok ? await response.json() : null;
  } catch (e) {
    return null;
  }
}
