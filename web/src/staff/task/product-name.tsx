import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api-client';
import { recordPath } from './record-query';

/**
 * A product as a line names it: its name once loaded (one cached request per product, shared by
 * every line and table that shows it), its id until then or when the reader may not see products.
 */
export function ProductName({ id }: { id: string }) {
  const product = useQuery({
    queryKey: ['record', recordPath('products', id)],
    queryFn: ({ signal }) => api<{ name: string }>(recordPath('products', id), { signal }),
    retry: false,
    staleTime: 5 * 60_000,
  });
  return <span title={id}>{product.data?.name ?? id}</span>;
}
