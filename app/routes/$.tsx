// Anything no other route claims: the 404 page.
export async function loader() {
  throw new Response('Page not found', { status: 404 });
}
export async function action() {
  throw new Response('Page not found', { status: 404 });
}
export default function NotFound() {
  return null;
}
