import { useQuery } from '@tanstack/react-query';
import type { TableColumnType } from 'antd';
import type { TFunction } from 'i18next';
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

/** The product column of a table of lines (quote lines, order lines, reservations): the product by name. */
export function productColumn<Line extends { productId: string }>(t: TFunction): TableColumnType<Line> {
  return {
    key: 'product',
    title: t('context.product'),
    dataIndex: 'productId',
    render: (id: string) => <ProductName id={id} />,
  };
}
